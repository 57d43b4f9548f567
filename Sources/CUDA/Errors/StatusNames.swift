// Names of result codes, from the CUDA 13 headers (cuda.h, nvrtc.h, cublas_api.h, cusparse.h).
// The driver and NVRTC can name their own codes (cuGetErrorName, nvrtcGetErrorString); these
// tables name them when the library cannot (not loaded, or a code it does not know).

/// cuBLAS status codes (`cublasStatus_t`).
package enum CUBLASStatus {
    package static let success: Int32 = 0
    package static let notSupported: Int32 = 15

    /// `CUBLAS_STATUS_*` name of `code`.
    package static func name(_ code: Int32) -> String {
        switch code {
        case 0: "CUBLAS_STATUS_SUCCESS"
        case 1: "CUBLAS_STATUS_NOT_INITIALIZED"
        case 3: "CUBLAS_STATUS_ALLOC_FAILED"
        case 7: "CUBLAS_STATUS_INVALID_VALUE"
        case 8: "CUBLAS_STATUS_ARCH_MISMATCH"
        case 11: "CUBLAS_STATUS_MAPPING_ERROR"
        case 13: "CUBLAS_STATUS_EXECUTION_FAILED"
        case 14: "CUBLAS_STATUS_INTERNAL_ERROR"
        case 15: "CUBLAS_STATUS_NOT_SUPPORTED"
        case 16: "CUBLAS_STATUS_LICENSE_ERROR"
        default: "CUBLAS_STATUS_UNKNOWN_\(code)"
        }
    }
}

/// cuSPARSE status codes (`cusparseStatus_t`).
package enum CUSPARSEStatus {
    package static let success: Int32 = 0
    package static let notSupported: Int32 = 10

    /// `CUSPARSE_STATUS_*` name of `code`.
    package static func name(_ code: Int32) -> String {
        switch code {
        case 0: "CUSPARSE_STATUS_SUCCESS"
        case 1: "CUSPARSE_STATUS_NOT_INITIALIZED"
        case 2: "CUSPARSE_STATUS_ALLOC_FAILED"
        case 3: "CUSPARSE_STATUS_INVALID_VALUE"
        case 4: "CUSPARSE_STATUS_ARCH_MISMATCH"
        case 5: "CUSPARSE_STATUS_MAPPING_ERROR"
        case 6: "CUSPARSE_STATUS_EXECUTION_FAILED"
        case 7: "CUSPARSE_STATUS_INTERNAL_ERROR"
        case 8: "CUSPARSE_STATUS_MATRIX_TYPE_NOT_SUPPORTED"
        case 9: "CUSPARSE_STATUS_ZERO_PIVOT"
        case 10: "CUSPARSE_STATUS_NOT_SUPPORTED"
        case 11: "CUSPARSE_STATUS_INSUFFICIENT_RESOURCES"
        default: "CUSPARSE_STATUS_UNKNOWN_\(code)"
        }
    }
}

/// NVRTC result codes (`nvrtcResult`).
package enum NVRTCStatus {
    package static let success: Int32 = 0
    package static let compilation: Int32 = 6

    /// `NVRTC_*` name of `code`.
    package static func name(_ code: Int32) -> String {
        let names = [
            "NVRTC_SUCCESS", "NVRTC_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
            "NVRTC_ERROR_INVALID_INPUT", "NVRTC_ERROR_INVALID_PROGRAM", "NVRTC_ERROR_INVALID_OPTION",
            "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
            "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION", "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
            "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID", "NVRTC_ERROR_INTERNAL_ERROR",
            "NVRTC_ERROR_TIME_FILE_WRITE_FAILED", "NVRTC_ERROR_NO_PCH_CREATE_ATTEMPTED",
            "NVRTC_ERROR_PCH_CREATE_HEAP_EXHAUSTED", "NVRTC_ERROR_PCH_CREATE", "NVRTC_ERROR_CANCELLED",
            "NVRTC_ERROR_TIME_TRACE_FILE_WRITE_FAILED", "NVRTC_ERROR_BUSY",
        ]
        return code >= 0 && Int(code) < names.count ? names[Int(code)] : "NVRTC_ERROR_UNKNOWN_\(code)"
    }
}

/// CUDA driver result codes (`CUresult`), for when `cuGetErrorName` is unavailable.
package enum DriverStatus {
    package static let success: Int32 = 0
    package static let notReady: Int32 = 600

    /// `CUDA_ERROR_*` name of the common codes; `CUDA_ERROR_<code>` otherwise.
    package static func name(_ code: Int32) -> String {
        switch code {
        case 0: "CUDA_SUCCESS"
        case 1: "CUDA_ERROR_INVALID_VALUE"
        case 2: "CUDA_ERROR_OUT_OF_MEMORY"
        case 3: "CUDA_ERROR_NOT_INITIALIZED"
        case 4: "CUDA_ERROR_DEINITIALIZED"
        case 34: "CUDA_ERROR_STUB_LIBRARY"
        case 35: "CUDA_ERROR_INSUFFICIENT_DRIVER"
        case 36: "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER"
        case 46: "CUDA_ERROR_DEVICE_UNAVAILABLE"
        case 100: "CUDA_ERROR_NO_DEVICE"
        case 101: "CUDA_ERROR_INVALID_DEVICE"
        case 200: "CUDA_ERROR_INVALID_IMAGE"
        case 201: "CUDA_ERROR_INVALID_CONTEXT"
        case 209: "CUDA_ERROR_NO_BINARY_FOR_GPU"
        case 218: "CUDA_ERROR_INVALID_PTX"
        case 222: "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"
        case 300: "CUDA_ERROR_INVALID_SOURCE"
        case 400: "CUDA_ERROR_INVALID_HANDLE"
        case 500: "CUDA_ERROR_NOT_FOUND"
        case 600: "CUDA_ERROR_NOT_READY"
        case 700: "CUDA_ERROR_ILLEGAL_ADDRESS"
        case 701: "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"
        case 702: "CUDA_ERROR_LAUNCH_TIMEOUT"
        case 715: "CUDA_ERROR_ILLEGAL_INSTRUCTION"
        case 716: "CUDA_ERROR_MISALIGNED_ADDRESS"
        case 719: "CUDA_ERROR_LAUNCH_FAILED"
        case 801: "CUDA_ERROR_NOT_SUPPORTED"
        case 803: "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"
        case 900: "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED"
        case 901: "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED"
        case 999: "CUDA_ERROR_UNKNOWN"
        default: "CUDA_ERROR_\(code)"
        }
    }
}
