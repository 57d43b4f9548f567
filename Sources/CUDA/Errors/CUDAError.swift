/// Every failure of the CUDA module: one funnel per library, each naming the call and the
/// code's name. Messages are one line, except ``compileFailed(log:sourceDump:)`` which carries
/// the compiler's log.
package enum CUDAError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A driver call (`cu*`) returned `code` (`name` from `cuGetErrorName`).
    case driver(call: String, code: Int32, name: String)
    /// An NVRTC call returned `code` (`name` from `nvrtcGetErrorString`).
    case nvrtc(call: String, code: Int32, name: String)
    /// A cuBLAS call returned `code`.
    case cublas(call: String, code: Int32, name: String)
    /// A cuSPARSE call returned `code`.
    case cusparse(call: String, code: Int32, name: String)
    /// A library could not be loaded; `reason` lists the places tried and the loader's message.
    case libraryMissing(library: String, reason: String)
    /// A library loaded but lacks an entry point Sparrow needs.
    case symbolMissing(library: String, symbol: String)
    /// The driver loaded but no usable device is present.
    case noDevice(reason: String)
    /// NVRTC rejected the source. `log` is the compiler's log; `sourceDump` is the path of a
    /// copy of the source written for reproduction (empty when it could not be written).
    case compileFailed(log: String, sourceDump: String)
    /// A request the library cannot serve (an algorithm, data type or layout combination);
    /// callers may skip it rather than fail.
    case unsupported(String)
    /// Arguments that break a documented rule (sizes, counts, alignment).
    case invalidArgument(String)
    /// A kernel cache entry could not be read or written.
    case cache(path: String, reason: String)

    package var description: String {
        switch self {
        case let .driver(call, code, name): "CUDA driver: \(call) failed with \(name) (\(code))"
        case let .nvrtc(call, code, name): "NVRTC: \(call) failed with \(name) (\(code))"
        case let .cublas(call, code, name): "cuBLAS: \(call) failed with \(name) (\(code))"
        case let .cusparse(call, code, name): "cuSPARSE: \(call) failed with \(name) (\(code))"
        case let .libraryMissing(library, reason): "\(library): \(reason)"
        case let .symbolMissing(library, symbol): "\(library) lacks the symbol \(symbol)"
        case let .noDevice(reason): "no CUDA device: \(reason)"
        case let .compileFailed(log, sourceDump):
            "NVRTC compilation failed (source saved to \(sourceDump.isEmpty ? "<not saved>" : sourceDump)):\n\(log)"
        case let .unsupported(what): "unsupported: \(what)"
        case let .invalidArgument(what): "invalid argument: \(what)"
        case let .cache(path, reason): "kernel cache entry \(path): \(reason)"
        }
    }

    /// Whether a caller may skip this case and go on (an unsupported algorithm or data type
    /// combination), rather than treat it as a failure.
    package var isUnsupported: Bool {
        switch self {
        case .unsupported: true
        case let .cusparse(_, code, _): code == CUSPARSEStatus.notSupported
        case let .cublas(_, code, _): code == CUBLASStatus.notSupported
        case let .driver(_, code, _): code == 801  // CUDA_ERROR_NOT_SUPPORTED
        default: false
        }
    }
}
