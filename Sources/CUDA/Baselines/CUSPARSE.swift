// cuSPARSE generic-API entry points (cusparse.h, CUDA 12/13). Status and enums are ints;
// handles and descriptors are opaque pointers; sizes are int64_t; size_t is Int.

import SystemLibraries

typealias PFN_cusparseCreate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
typealias PFN_cusparseHandleOp = @convention(c) (OpaquePointer?) -> Int32
typealias PFN_cusparseSetStream = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
typealias PFN_cusparseCreateCsr = @convention(c) (
    UnsafeMutablePointer<OpaquePointer?>?, Int64, Int64, Int64,
    UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, Int32, Int32, Int32, Int32
) -> Int32
typealias PFN_cusparseCreateDnMat = @convention(c) (
    UnsafeMutablePointer<OpaquePointer?>?, Int64, Int64, Int64, UnsafeMutableRawPointer?, Int32, Int32
) -> Int32
typealias PFN_cusparseSpMM_bufferSize = @convention(c) (
    OpaquePointer?, Int32, Int32, UnsafeRawPointer?, OpaquePointer?, OpaquePointer?, UnsafeRawPointer?,
    OpaquePointer?, Int32, Int32, UnsafeMutablePointer<Int>?
) -> Int32
typealias PFN_cusparseSpMM = @convention(c) (
    OpaquePointer?, Int32, Int32, UnsafeRawPointer?, OpaquePointer?, OpaquePointer?, UnsafeRawPointer?,
    OpaquePointer?, Int32, Int32, UnsafeMutableRawPointer?
) -> Int32

/// cuSPARSE (libcusparse, with nvJitLink beside it), loaded once per process.
package final class CUSPARSELibrary: @unchecked Sendable {
    // @unchecked: immutable after init.
    package let library: DynamicLibrary
    let create: PFN_cusparseCreate
    let destroy: PFN_cusparseHandleOp
    let setStream: PFN_cusparseSetStream
    let getProperty: PFN_libraryGetProperty
    let createCsr: PFN_cusparseCreateCsr
    let destroySpMat: PFN_cusparseHandleOp
    let createDnMat: PFN_cusparseCreateDnMat
    let destroyDnMat: PFN_cusparseHandleOp
    let spmmBufferSize: PFN_cusparseSpMM_bufferSize
    /// Absent before CUDA 11.2; the prepared SpMM skips it then.
    let spmmPreprocess: PFN_cusparseSpMM?
    let spmm: PFN_cusparseSpMM

    init(library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        create = try library.function("cusparseCreate")
        destroy = try library.function("cusparseDestroy")
        setStream = try library.function("cusparseSetStream")
        getProperty = try library.function("cusparseGetProperty")
        createCsr = try library.function("cusparseCreateCsr")
        destroySpMat = try library.function("cusparseDestroySpMat")
        createDnMat = try library.function("cusparseCreateDnMat")
        destroyDnMat = try library.function("cusparseDestroyDnMat")
        spmmBufferSize = try library.function("cusparseSpMM_bufferSize")
        spmmPreprocess = library.symbol("cusparseSpMM_preprocess")
        spmm = try library.function("cusparseSpMM")
    }

    package static let shared = LibraryLoader.bind(.cusparse) { (library) throws(CUDAError) in try CUSPARSELibrary(library: library) }

    /// "major.minor.patch" from `cusparseGetProperty` (needs no GPU).
    package func version() throws(CUDAError) -> String {
        try LibraryLoader.version(getProperty) { (status) throws(CUDAError) in try check(status, "cusparseGetProperty") }
    }

    /// Turns a cuSPARSE status into a thrown ``CUDAError/cusparse(call:code:name:)``.
    /// CUSPARSE_STATUS_NOT_SUPPORTED reads as ``CUDAError/isUnsupported``, for callers to skip.
    package func check(_ status: Int32, _ call: @autoclosure () -> String) throws(CUDAError) {
        guard status != CUSPARSEStatus.success else { return }
        throw .cusparse(call: call(), code: status, name: CUSPARSEStatus.name(status))
    }
}

/// `cusparseSpMMAlg_t` values for CSR.
package enum CUSPARSESpMMAlgorithm: Int32, Codable, Sendable, CaseIterable {
    case `default` = 0  // CUSPARSE_SPMM_ALG_DEFAULT
    case csrAlg1 = 4  // CUSPARSE_SPMM_CSR_ALG1
    case csrAlg2 = 6  // CUSPARSE_SPMM_CSR_ALG2
    case csrAlg3 = 12  // CUSPARSE_SPMM_CSR_ALG3
}

/// Element types of a cuSPARSE SpMM; accumulation is always fp32 (`CUDA_R_32F` compute).
package enum SpMMPrecision: String, Codable, Sendable, CaseIterable {
    /// fp32 values, X and Y.
    case float32
    /// fp16 values, X and Y, fp32 compute.
    case float16
    /// bf16 values, X and Y, fp32 compute.
    case bfloat16

    var dataType: CUDADataType {
        switch self {
        case .float32: .float32
        case .float16: .float16
        case .bfloat16: .bfloat16
        }
    }
}

/// A cuSPARSE handle bound to one context (and optionally a stream), destroyed on deinit.
package final class CUSPARSEHandle: @unchecked Sendable {
    // @unchecked: immutable after init; one thread uses a handle at a time.
    package let context: CUDAContext
    package let cusparse: CUSPARSELibrary
    let handle: OpaquePointer

    package init(context: CUDAContext, stream: CUDAStream? = nil) throws {
        let cusparse = try CUSPARSELibrary.shared.get()
        try context.makeCurrent()
        var handle: OpaquePointer? = nil
        try cusparse.check(cusparse.create(&handle), "cusparseCreate")
        guard let handle else { throw CUDAError.cusparse(call: "cusparseCreate", code: -1, name: "null handle") }
        self.context = context
        self.cusparse = cusparse
        self.handle = handle
        if let stream {
            try cusparse.check(cusparse.setStream(handle, stream.handle), "cusparseSetStream")
        }
    }

    deinit {
        _ = context.driver.cuCtxSetCurrent(context.context)
        _ = cusparse.destroy(handle)
    }
}
