// cuBLAS entry points (cublas_api.h, CUDA 12/13). cublasStatus_t and the enums are ints;
// the handle is an opaque pointer; cudaStream_t is the driver's CUstream.

import SystemLibraries

typealias PFN_cublasCreate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
typealias PFN_cublasHandleOp = @convention(c) (OpaquePointer?) -> Int32
typealias PFN_cublasSetStream = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
typealias PFN_cublasSetMathMode = @convention(c) (OpaquePointer?, Int32) -> Int32
typealias PFN_cublasGemmBatchedEx = @convention(c) (
    OpaquePointer?, Int32, Int32, Int32, Int32, Int32,
    UnsafeRawPointer?, UnsafeRawPointer?, Int32, Int32, UnsafeRawPointer?, Int32, Int32,
    UnsafeRawPointer?, UnsafeRawPointer?, Int32, Int32, Int32, Int32, Int32
) -> Int32
typealias PFN_cublasSetWorkspace = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int) -> Int32
typealias PFN_libraryGetProperty = @convention(c) (Int32, UnsafeMutablePointer<Int32>?) -> Int32
typealias PFN_cublasGemmEx = @convention(c) (
    OpaquePointer?, Int32, Int32, Int32, Int32, Int32,
    UnsafeRawPointer?, UnsafeRawPointer?, Int32, Int32, UnsafeRawPointer?, Int32, Int32,
    UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Int32, Int32, Int32
) -> Int32

/// `cudaDataType` values (library_types.h).
package enum CUDADataType: Int32, Codable, Sendable {
    case float32 = 0
    case float64 = 1
    case float16 = 2
    case bfloat16 = 14
}

/// cuBLAS (libcublas, with libcublasLt beside it), loaded once per process.
package final class CUBLASLibrary: @unchecked Sendable {
    // @unchecked: immutable after init.
    package let library: DynamicLibrary
    let create: PFN_cublasCreate
    let destroy: PFN_cublasHandleOp
    let setStream: PFN_cublasSetStream
    let setMathMode: PFN_cublasSetMathMode
    let getProperty: PFN_libraryGetProperty
    let gemmEx: PFN_cublasGemmEx
    /// `cublasSetWorkspace_v2` (cuBLAS 11.3 on): a caller-owned workspace, so that a GEMM
    /// captured into a CUDA graph never allocates.
    let setWorkspace: PFN_cublasSetWorkspace?
    /// `cublasGemmBatchedEx`: many small GEMMs from device arrays of pointers, one call.
    let gemmBatchedEx: PFN_cublasGemmBatchedEx?

    init(library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        create = try library.function("cublasCreate_v2")
        destroy = try library.function("cublasDestroy_v2")
        setStream = try library.function("cublasSetStream_v2")
        setMathMode = try library.function("cublasSetMathMode")
        getProperty = try library.function("cublasGetProperty")
        gemmEx = try library.function("cublasGemmEx")
        setWorkspace = try? library.function("cublasSetWorkspace_v2")
        gemmBatchedEx = try? library.function("cublasGemmBatchedEx")
    }

    package static let shared = LibraryLoader.bind(.cublas) { (library) throws(CUDAError) in try CUBLASLibrary(library: library) }

    /// "major.minor.patch" from `cublasGetProperty` (needs no GPU).
    package func version() throws(CUDAError) -> String {
        try LibraryLoader.version(getProperty) { (status) throws(CUDAError) in try check(status, "cublasGetProperty") }
    }

    /// Turns a cuBLAS status into a thrown ``CUDAError/cublas(call:code:name:)``.
    package func check(_ status: Int32, _ call: @autoclosure () -> String) throws(CUDAError) {
        guard status != CUBLASStatus.success else { return }
        throw .cublas(call: call(), code: status, name: CUBLASStatus.name(status))
    }
}

/// The dense baselines: which inputs, outputs and arithmetic a GEMM uses.
package enum GemmPrecision: String, Codable, Sendable, CaseIterable {
    /// fp32 in and out, `CUBLAS_COMPUTE_32F` with `CUBLAS_DEFAULT_MATH`: no TF32 down-conversion.
    case float32
    /// fp32 in and out, `CUBLAS_COMPUTE_32F_PEDANTIC`: standard arithmetic throughout.
    case float32Pedantic
    /// fp32 in and out, `CUBLAS_COMPUTE_32F_FAST_TF32`: tensor cores with TF32 inputs.
    case tf32
    /// fp16 W, X and Y, fp32 accumulation (`CUBLAS_COMPUTE_32F`): what an fp16 layer produces.
    case float16
    /// fp16 W and X, fp32 Y, fp32 accumulation.
    case float16Float32Output
    /// bf16 W, X and Y, fp32 accumulation (`CUBLAS_COMPUTE_32F`).
    case bfloat16

    var inputType: CUDADataType {
        switch self {
        case .float16, .float16Float32Output: .float16
        case .bfloat16: .bfloat16
        case .float32, .float32Pedantic, .tf32: .float32
        }
    }
    var outputType: CUDADataType { self == .float16 ? .float16 : self == .bfloat16 ? .bfloat16 : .float32 }
    var computeType: Int32 {
        switch self {
        case .float32, .float16, .float16Float32Output, .bfloat16: 68  // CUBLAS_COMPUTE_32F
        case .float32Pedantic: 69  // CUBLAS_COMPUTE_32F_PEDANTIC
        case .tf32: 77  // CUBLAS_COMPUTE_32F_FAST_TF32
        }
    }
    var mathMode: Int32 { self == .float32Pedantic ? 2 : 0 }  // CUBLAS_PEDANTIC_MATH / CUBLAS_DEFAULT_MATH
}

/// A cuBLAS handle bound to one context (and optionally a stream), destroyed on deinit.
package final class CUBLASHandle: @unchecked Sendable {
    // @unchecked: immutable after init; a handle must not be used by two threads at once,
    // which callers of a baseline never do.
    package let context: CUDAContext
    package let cublas: CUBLASLibrary
    let handle: OpaquePointer
    private let alphaBeta: UnsafeMutablePointer<Float>

    package init(context: CUDAContext, stream: CUDAStream? = nil) throws {
        let cublas = try CUBLASLibrary.shared.get()
        try context.makeCurrent()
        var handle: OpaquePointer? = nil
        try cublas.check(cublas.create(&handle), "cublasCreate_v2")
        guard let handle else { throw CUDAError.cublas(call: "cublasCreate_v2", code: -1, name: "null handle") }
        self.context = context
        self.cublas = cublas
        self.handle = handle
        alphaBeta = .allocate(capacity: 2)
        alphaBeta[0] = 1
        alphaBeta[1] = 0
        if let stream {
            try cublas.check(cublas.setStream(handle, stream.handle), "cublasSetStream_v2")
        }
    }

    deinit {
        _ = context.driver.cuCtxSetCurrent(context.context)
        _ = cublas.destroy(handle)
        alphaBeta.deallocate()
    }

    /// Hands cuBLAS `bytes` of device memory at `address` as its workspace (kept alive by the
    /// caller), for GEMMs captured into CUDA graphs.
    package func setWorkspace(address: UInt64, bytes: Int) throws {
        guard let set = cublas.setWorkspace else { throw CUDAError.unsupported("cublasSetWorkspace_v2") }
        try context.makeCurrent()
        try cublas.check(set(handle, UnsafeMutableRawPointer(bitPattern: UInt(address)), bytes), "cublasSetWorkspace_v2")
    }

    /// Column-major `C_i = op(A_i) op(B_i)` for `count` problems whose operand addresses are in
    /// the device arrays `a`, `b`, `c` (`count` 64-bit addresses each), fp32 accumulation
    /// (`CUBLAS_COMPUTE_32F`, default math: no TF32), alpha 1, beta 0.
    package func gemmBatched(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UInt64, aType: CUDADataType, lda: Int, b: UInt64, bType: CUDADataType, ldb: Int,
        c: UInt64, cType: CUDADataType, ldc: Int, count: Int
    ) throws {
        guard let batched = cublas.gemmBatchedEx else { throw CUDAError.unsupported("cublasGemmBatchedEx") }
        for (name, value) in [("m", m), ("n", n), ("k", k), ("lda", lda), ("ldb", ldb), ("ldc", ldc), ("count", count)]
        where value < 1 || value > Int(Int32.max) {
            throw CUDAError.invalidArgument("gemmBatched \(name) = \(value)")
        }
        try context.makeCurrent()
        try cublas.check(cublas.setMathMode(handle, 0), "cublasSetMathMode")
        let status = batched(
            handle, transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), UnsafeRawPointer(alphaBeta),
            UnsafeRawPointer(bitPattern: UInt(a)), aType.rawValue, Int32(lda),
            UnsafeRawPointer(bitPattern: UInt(b)), bType.rawValue, Int32(ldb),
            UnsafeRawPointer(alphaBeta + 1),
            UnsafeRawPointer(bitPattern: UInt(c)), cType.rawValue, Int32(ldc), Int32(count),
            68 /* CUBLAS_COMPUTE_32F */, -1 /* CUBLAS_GEMM_DEFAULT */)
        try cublas.check(status, "cublasGemmBatchedEx(m=\(m) n=\(n) k=\(k) count=\(count))")
    }

    /// Row-major Y[N x M] = W[N x K] X[K x M] on raw device addresses.
    ///
    /// cuBLAS is column-major, where a row-major matrix reads as its transpose, so this calls
    /// Y^T = X^T W^T: `gemm(N, N, m: M, n: N, k: K, A: X (ld M), B: W (ld K), C: Y (ld M))`.
    package func gemm(precision: GemmPrecision, n: Int, k: Int, m: Int, w: UInt64, x: UInt64, y: UInt64) throws {
        guard n > 0, k > 0, m > 0 else { throw CUDAError.invalidArgument("gemm with n=\(n) k=\(k) m=\(m)") }
        guard n <= Int(Int32.max), k <= Int(Int32.max), m <= Int(Int32.max) else {
            throw CUDAError.invalidArgument("gemm dimension beyond Int32: n=\(n) k=\(k) m=\(m)")
        }
        try context.makeCurrent()
        try cublas.check(cublas.setMathMode(handle, precision.mathMode), "cublasSetMathMode")
        let status = cublas.gemmEx(
            handle, 0, 0, Int32(m), Int32(n), Int32(k), UnsafeRawPointer(alphaBeta),
            UnsafeRawPointer(bitPattern: UInt(x)), precision.inputType.rawValue, Int32(m),
            UnsafeRawPointer(bitPattern: UInt(w)), precision.inputType.rawValue, Int32(k),
            UnsafeRawPointer(alphaBeta + 1),
            UnsafeMutableRawPointer(bitPattern: UInt(y)), precision.outputType.rawValue, Int32(m),
            precision.computeType, -1 /* CUBLAS_GEMM_DEFAULT */)
        try cublas.check(status, "cublasGemmEx(\(precision.rawValue), n=\(n) k=\(k) m=\(m))")
    }

    /// fp32 (or TF32) gemm on typed buffers, with their sizes checked.
    package func gemm(precision: GemmPrecision = .float32, n: Int, k: Int, m: Int,
                     w: DeviceBuffer<Float>, x: DeviceBuffer<Float>, y: DeviceBuffer<Float>) throws {
        guard precision.inputType == .float32 else {
            throw CUDAError.invalidArgument("\(precision) gemm on Float buffers")
        }
        try checkCounts(n: n, k: k, m: m, w: w.count, x: x.count, y: y.count)
        try gemm(precision: precision, n: n, k: k, m: m, w: w.address, x: x.address, y: y.address)
    }

    /// fp16 gemm on typed buffers (``GemmPrecision/float16``).
    package func gemm(n: Int, k: Int, m: Int,
                     w: DeviceBuffer<Float16>, x: DeviceBuffer<Float16>, y: DeviceBuffer<Float16>) throws {
        try checkCounts(n: n, k: k, m: m, w: w.count, x: x.count, y: y.count)
        try gemm(precision: .float16, n: n, k: k, m: m, w: w.address, x: x.address, y: y.address)
    }

    private func checkCounts(n: Int, k: Int, m: Int, w: Int, x: Int, y: Int) throws {
        guard w == n * k, x == k * m, y == n * m else {
            throw CUDAError.invalidArgument(
                "gemm n=\(n) k=\(k) m=\(m) needs W \(n * k), X \(k * m), Y \(n * m) elements; got \(w), \(x), \(y)")
        }
    }
}
