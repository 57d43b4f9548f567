#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A BLAS library loaded at run time with `dlopen`: its `cblas_sgemm` and, for OpenBLAS,
/// its thread count and build configuration.
final class OpenBLASLibrary: @unchecked Sendable {
    // cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) with
    // 32-bit `blasint` (Debian's libopenblas0; the 64-bit-index build is libopenblas64).
    typealias Sgemm = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
        UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
    typealias GetInt = @convention(c) () -> Int32
    typealias GetString = @convention(c) () -> UnsafePointer<CChar>?

    static let rowMajor: Int32 = 101
    static let noTranspose: Int32 = 111

    /// The name the library was opened by.
    let name: String
    let sgemm: Sgemm
    let threads: Int?
    let config: String?
    // Kept open for the life of the process: function pointers into it are handed out.
    private let handle: UnsafeMutableRawPointer

    /// Sonames tried in order: OpenBLAS (Debian `libopenblas0`), then any CBLAS.
    static let candidates: [String] = {
        #if os(macOS)
        ["libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
         "/System/Library/Frameworks/Accelerate.framework/Accelerate"]
        #else
        ["libopenblas.so.0", "libopenblas.so", "libcblas.so.3", "libblas.so.3"]
        #endif
    }()

    private init(name: String, handle: UnsafeMutableRawPointer, sgemm: Sgemm) {
        self.name = name
        self.handle = handle
        self.sgemm = sgemm
        if let p = dlsym(handle, "openblas_get_num_threads") {
            threads = Int(unsafeBitCast(p, to: GetInt.self)())
        } else {
            threads = nil
        }
        if let p = dlsym(handle, "openblas_get_config"), let s = unsafeBitCast(p, to: GetString.self)() {
            config = String(cString: s)
        } else {
            config = nil
        }
    }

    /// Opens the first library of `names` that exports `cblas_sgemm`; records why each failed.
    static func load(names: [String]) -> (library: OpenBLASLibrary?, failures: [String]) {
        var failures: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                failures.append("\(name): \(dlerror().map { String(cString: $0) } ?? "not found")")
                continue
            }
            guard let symbol = dlsym(handle, "cblas_sgemm") else {
                failures.append("\(name): no cblas_sgemm")
                dlclose(handle)
                continue
            }
            return (OpenBLASLibrary(name: name, handle: handle, sgemm: unsafeBitCast(symbol, to: Sgemm.self)), failures)
        }
        return (nil, failures)
    }
}
