// cuSPARSELt entry points (cusparseLt.h, 0.6-0.10): 2:4 structured sparsity on the sparse tensor
// cores (`mma.sp`). Its handle, matrix descriptors, matmul descriptor, algorithm selection and plan
// are 512-byte opaque structs (16-byte aligned) owned by the caller; statuses are cusparseStatus_t.
// A baseline only: Sparrow runs 2:4 weights through its own formats.
//
// Checked against cusparseLt.h of the `nvidia-cusparselt-cu13` 0.10.0 wheel (2026-12-01): every
// signature below, cusparseComputeType {32I, 16F, 32F} (32F = 2), cusparseLtSparsity_t (50% = 0),
// cusparseLtMatmulAlg_t (DEFAULT = 0), cusparseLtMatmulAlgAttribute_t (CONFIG_ID = 0,
// CONFIG_MAX_ID = 1, SPLIT_K = 3); from cusparse.h: cusparseOrder_t ROW = 2, cusparseOperation_t
// NON_TRANSPOSE = 0; libraryPropertyType MAJOR/MINOR/PATCH = 0/1/2.

import SystemLibraries

typealias PFN_cusparseLtInit = @convention(c) (UnsafeMutableRawPointer?) -> Int32
/// `cusparseLtDestroy`, `cusparseLtMatDescriptorDestroy`, `cusparseLtMatmulPlanDestroy`,
/// `cusparseLtMatmulAlgSelectionDestroy`: one const struct pointer.
typealias PFN_cusparseLtDestroyOp = @convention(c) (UnsafeRawPointer?) -> Int32
typealias PFN_cusparseLtDenseDescriptorInit = @convention(c) (
    UnsafeRawPointer?, UnsafeMutableRawPointer?, Int64, Int64, Int64, UInt32, Int32, Int32
) -> Int32
typealias PFN_cusparseLtStructuredDescriptorInit = @convention(c) (
    UnsafeRawPointer?, UnsafeMutableRawPointer?, Int64, Int64, Int64, UInt32, Int32, Int32, Int32
) -> Int32
typealias PFN_cusparseLtMatmulDescriptorInit = @convention(c) (
    UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Int32,
    UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, Int32
) -> Int32
typealias PFN_cusparseLtMatmulAlgSelectionInit = @convention(c) (
    UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, Int32
) -> Int32
typealias PFN_cusparseLtMatmulPlanInit = @convention(c) (
    UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?
) -> Int32
/// `cusparseLtMatmulAlgGetAttribute`: handle, algorithm selection, attribute, data, data size.
typealias PFN_cusparseLtMatmulAlgGetAttribute = @convention(c) (
    UnsafeRawPointer?, UnsafeRawPointer?, Int32, UnsafeMutableRawPointer?, Int
) -> Int32
typealias PFN_cusparseLtMatmulGetWorkspace = @convention(c) (UnsafeRawPointer?, UnsafeRawPointer?, UnsafeMutablePointer<Int>?) -> Int32
/// `cusparseLtMatmul` (const plan) and `cusparseLtMatmulSearch` (mutable plan): handle, plan,
/// alpha, A (compressed), B, beta, C, D, workspace, streams, stream count.
typealias PFN_cusparseLtMatmul = @convention(c) (
    UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?,
    UnsafeRawPointer?, UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?,
    UnsafeMutablePointer<OpaquePointer?>?, Int32
) -> Int32
typealias PFN_cusparseLtSpMMACompressedSize = @convention(c) (
    UnsafeRawPointer?, UnsafeRawPointer?, UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int>?
) -> Int32
typealias PFN_cusparseLtSpMMACompress = @convention(c) (
    UnsafeRawPointer?, UnsafeRawPointer?, UnsafeRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, OpaquePointer?
) -> Int32

/// cuSPARSELt (libcusparseLt), loaded once per process when present (the PyPI wheel
/// `nvidia-cusparselt-cu13` or `-cu12`, or `SPARROW_CUSPARSELT`).
package final class CUSPARSELtLibrary: @unchecked Sendable {
    // @unchecked: immutable after init.
    package let library: DynamicLibrary
    let initialize: PFN_cusparseLtInit
    let destroy: PFN_cusparseLtDestroyOp
    let getProperty: PFN_libraryGetProperty
    let denseDescriptorInit: PFN_cusparseLtDenseDescriptorInit
    let structuredDescriptorInit: PFN_cusparseLtStructuredDescriptorInit
    let matDescriptorDestroy: PFN_cusparseLtDestroyOp
    let matmulDescriptorInit: PFN_cusparseLtMatmulDescriptorInit
    let algSelectionInit: PFN_cusparseLtMatmulAlgSelectionInit
    let algSelectionDestroy: PFN_cusparseLtDestroyOp
    let algGetAttribute: PFN_cusparseLtMatmulAlgGetAttribute
    let planInit: PFN_cusparseLtMatmulPlanInit
    let planDestroy: PFN_cusparseLtDestroyOp
    let getWorkspace: PFN_cusparseLtMatmulGetWorkspace
    let matmul: PFN_cusparseLtMatmul
    let matmulSearch: PFN_cusparseLtMatmul
    let compressedSize: PFN_cusparseLtSpMMACompressedSize
    let compress: PFN_cusparseLtSpMMACompress

    init(library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        initialize = try library.function("cusparseLtInit")
        destroy = try library.function("cusparseLtDestroy")
        getProperty = try library.function("cusparseLtGetProperty")
        denseDescriptorInit = try library.function("cusparseLtDenseDescriptorInit")
        structuredDescriptorInit = try library.function("cusparseLtStructuredDescriptorInit")
        matDescriptorDestroy = try library.function("cusparseLtMatDescriptorDestroy")
        matmulDescriptorInit = try library.function("cusparseLtMatmulDescriptorInit")
        algSelectionInit = try library.function("cusparseLtMatmulAlgSelectionInit")
        algSelectionDestroy = try library.function("cusparseLtMatmulAlgSelectionDestroy")
        algGetAttribute = try library.function("cusparseLtMatmulAlgGetAttribute")
        planInit = try library.function("cusparseLtMatmulPlanInit")
        planDestroy = try library.function("cusparseLtMatmulPlanDestroy")
        getWorkspace = try library.function("cusparseLtMatmulGetWorkspace")
        matmul = try library.function("cusparseLtMatmul")
        matmulSearch = try library.function("cusparseLtMatmulSearch")
        compressedSize = try library.function("cusparseLtSpMMACompressedSize")
        compress = try library.function("cusparseLtSpMMACompress")
    }

    package static let shared = LibraryLoader.bind(.cusparseLt) { (library) throws(CUDAError) in try CUSPARSELtLibrary(library: library) }

    /// "major.minor.patch" from `cusparseLtGetProperty` (needs no GPU).
    package func version() throws(CUDAError) -> String {
        try LibraryLoader.version(getProperty) { (status) throws(CUDAError) in try check(status, "cusparseLtGetProperty") }
    }

    /// Whether this library speaks the enums above: cusparseComputeType was {16F, 32I, TF32,
    /// TF32_FAST} before 0.6, so 2 would mean TF32 there.
    package func checkVersion() throws(CUDAError) {
        let text = try version()
        let parts = text.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3, parts[0] > 0 || parts[1] >= 6 else {
            throw .unsupported("cuSPARSELt \(text): the binding needs 0.6 or later (its compute-type enum changed in 0.6)")
        }
    }

    /// Turns a status into a thrown ``CUDAError/cusparse(call:code:name:)`` (the same status codes).
    func check(_ status: Int32, _ call: @autoclosure () -> String) throws(CUDAError) {
        guard status != CUSPARSEStatus.success else { return }
        throw .cusparse(call: call(), code: status, name: CUSPARSEStatus.name(status))
    }
}

/// One of cuSPARSELt's opaque structs: 512 bytes, 16-byte aligned, at a fixed address.
final class CUSPARSELtOpaque {
    static let byteCount = 512
    let pointer: UnsafeMutableRawPointer

    init() {
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Self.byteCount, alignment: 16)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: Self.byteCount)
    }

    deinit { pointer.deallocate() }
}

/// A 2:4 sparse GEMM through cuSPARSELt, Y[N x M] = W[N x K] X[K x M], every matrix row-major
/// in fp16 or bf16 with fp32 accumulation: W (its dense form, every 4 consecutive weights of a
/// row holding at most 2 nonzeros) is compressed once here; the plan's algorithm is the one
/// `cusparseLtMatmulSearch` timed fastest (its workspace is sized again after the search, which may
/// pick split-K). Each ``run(compressed:)`` is one `cusparseLtMatmul`.
///
/// The library wants sizes it can tile: callers pad N, K and M (zero rows and columns) to
/// ``padding`` before calling.
package final class PreparedSparseLtMatmul: @unchecked Sendable {
    // @unchecked: immutable after init; one thread runs it at a time.
    /// What N, K and M are padded to: cuSPARSELt's versions ask multiples of 8, 16 or 32 of
    /// 16-bit structured and dense sizes; 32 serves them all.
    package static let padding = 32

    let library: CUSPARSELtLibrary
    let context: CUDAContext
    let stream: CUDAStream
    let handle = CUSPARSELtOpaque()
    let matA = CUSPARSELtOpaque(), matB = CUSPARSELtOpaque(), matC = CUSPARSELtOpaque()
    let matmulDescriptor = CUSPARSELtOpaque()
    let algorithm = CUSPARSELtOpaque()
    let plan = CUSPARSELtOpaque()
    let x: UInt64
    let y: UInt64
    private(set) var workspace: DeviceBuffer<UInt8>?
    let alphaBeta: UnsafeMutablePointer<Float>
    /// Bytes of one compressed W (values and metadata).
    package let compressedBytes: Int

    /// Descriptors and plan for `n x k` times `k x m` (each a multiple of ``padding``) in `precision`
    /// (.float16 or .bfloat16); X and Y at the device addresses `x` and `y`. The plan starts with the
    /// default algorithm; ``search(compressed:)`` picks the fastest.
    package init(context: CUDAContext, stream: CUDAStream, n: Int, k: Int, m: Int, precision: SpMMPrecision, x: UInt64, y: UInt64) throws {
        guard precision != .float32 else { throw CUDAError.unsupported("cuSPARSELt baseline in fp32 (2:4 is for 16-bit types here)") }
        for (name, size) in [("N", n), ("K", k), ("M", m)] where size <= 0 || size % Self.padding != 0 {
            throw CUDAError.invalidArgument("cuSPARSELt: \(name) = \(size) is not a positive multiple of \(Self.padding)")
        }
        library = try CUSPARSELtLibrary.shared.get()
        try library.checkVersion()
        self.context = context
        self.stream = stream
        self.x = x
        self.y = y
        alphaBeta = .allocate(capacity: 2)
        alphaBeta[0] = 1
        alphaBeta[1] = 0
        try context.makeCurrent()
        let lt = library
        try lt.check(lt.initialize(handle.pointer), "cusparseLtInit")
        let type = precision.dataType.rawValue
        let row: Int32 = 2, nonTranspose: Int32 = 0, compute32F: Int32 = 2, sparsity50: Int32 = 0, alignment: UInt32 = 16
        try lt.check(lt.structuredDescriptorInit(handle.pointer, matA.pointer, Int64(n), Int64(k), Int64(k), alignment, type, row, sparsity50),
                     "cusparseLtStructuredDescriptorInit(W \(n) x \(k))")
        try lt.check(lt.denseDescriptorInit(handle.pointer, matB.pointer, Int64(k), Int64(m), Int64(m), alignment, type, row),
                     "cusparseLtDenseDescriptorInit(X \(k) x \(m))")
        try lt.check(lt.denseDescriptorInit(handle.pointer, matC.pointer, Int64(n), Int64(m), Int64(m), alignment, type, row),
                     "cusparseLtDenseDescriptorInit(Y \(n) x \(m))")
        try lt.check(lt.matmulDescriptorInit(handle.pointer, matmulDescriptor.pointer, nonTranspose, nonTranspose,
                                             matA.pointer, matB.pointer, matC.pointer, matC.pointer, compute32F),
                     "cusparseLtMatmulDescriptorInit")
        try lt.check(lt.algSelectionInit(handle.pointer, algorithm.pointer, matmulDescriptor.pointer, 0), "cusparseLtMatmulAlgSelectionInit")
        try lt.check(lt.planInit(handle.pointer, plan.pointer, matmulDescriptor.pointer, algorithm.pointer), "cusparseLtMatmulPlanInit")
        var compressed = 0, compressBuffer = 0, workspaceBytes = 0
        try lt.check(lt.compressedSize(handle.pointer, plan.pointer, &compressed, &compressBuffer), "cusparseLtSpMMACompressedSize")
        try lt.check(lt.getWorkspace(handle.pointer, plan.pointer, &workspaceBytes), "cusparseLtMatmulGetWorkspace")
        compressedBytes = compressed
        workspace = workspaceBytes > 0 ? try DeviceBuffer<UInt8>(context: context, count: workspaceBytes) : nil
    }

    /// The plan's algorithm: "alg A of 0...B, split-K S" (`cusparseLtMatmulAlgGetAttribute`).
    package func algorithmSummary() throws -> String {
        // CONFIG_ID = 0, CONFIG_MAX_ID = 1, SPLIT_K = 3; each an Int32.
        let attributes: [Int32] = [0, 1, 3]
        var values: [Int32] = [0, 0, 0]
        for index in attributes.indices {
            try library.check(library.algGetAttribute(handle.pointer, algorithm.pointer, attributes[index], &values[index], MemoryLayout<Int32>.size),
                              "cusparseLtMatmulAlgGetAttribute(\(attributes[index]))")
        }
        let (id, maxID, splitK) = (values[0], values[1], values[2])
        return "alg \(id) of 0...\(maxID), split-K \(splitK)"
    }

    /// Compresses dense 2:4 W (`n x k`, row-major, at `dense`) into `into` (``compressedBytes`` long).
    package func compress(dense: UInt64, into: DeviceBuffer<UInt8>) throws {
        var size = 0, bufferBytes = 0
        try library.check(library.compressedSize(handle.pointer, plan.pointer, &size, &bufferBytes), "cusparseLtSpMMACompressedSize")
        let buffer = bufferBytes > 0 ? try DeviceBuffer<UInt8>(context: context, count: bufferBytes) : nil
        try library.check(library.compress(handle.pointer, plan.pointer, UnsafeRawPointer(bitPattern: UInt(dense)),
                                           UnsafeMutableRawPointer(bitPattern: UInt(into.address)),
                                           buffer.flatMap { UnsafeMutableRawPointer(bitPattern: UInt($0.address)) }, stream.handle),
                          "cusparseLtSpMMACompress")
        try stream.synchronize()
    }

    /// Times the library's algorithms on `compressed` and keeps the fastest in the plan (not timed itself).
    package func search(compressed: DeviceBuffer<UInt8>) throws {
        try call(library.matmulSearch, compressed: compressed, "cusparseLtMatmulSearch")
        try stream.synchronize()
        var workspaceBytes = 0
        try library.check(library.getWorkspace(handle.pointer, plan.pointer, &workspaceBytes), "cusparseLtMatmulGetWorkspace")
        if workspaceBytes > (workspace?.count ?? 0) {
            workspace = try DeviceBuffer<UInt8>(context: context, count: workspaceBytes)
        }
    }

    /// Y = W X with the compressed W at `compressed`.
    package func run(compressed: DeviceBuffer<UInt8>) throws {
        try call(library.matmul, compressed: compressed, "cusparseLtMatmul")
    }

    private func call(_ function: PFN_cusparseLtMatmul, compressed: DeviceBuffer<UInt8>, _ name: String) throws {
        var streams: [OpaquePointer?] = [stream.handle]
        let status = streams.withUnsafeMutableBufferPointer { list in
            function(handle.pointer, plan.pointer, UnsafeRawPointer(alphaBeta), UnsafeRawPointer(bitPattern: UInt(compressed.address)),
                     UnsafeRawPointer(bitPattern: UInt(x)), UnsafeRawPointer(alphaBeta + 1), UnsafeRawPointer(bitPattern: UInt(y)),
                     UnsafeMutableRawPointer(bitPattern: UInt(y)), workspace.flatMap { UnsafeMutableRawPointer(bitPattern: UInt($0.address)) },
                     list.baseAddress, 1)
        }
        try library.check(status, name)
    }

    deinit {
        _ = context.driver.cuCtxSetCurrent(context.context)
        _ = library.planDestroy(plan.pointer)
        _ = library.algSelectionDestroy(algorithm.pointer)
        for descriptor in [matA, matB, matC] { _ = library.matDescriptorDestroy(descriptor.pointer) }
        _ = library.destroy(handle.pointer)
        alphaBeta.deallocate()
    }
}
