#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SparseFormats

/// Dense single-precision GEMM, `C = alpha A B + beta C` (row-major): OpenBLAS's `cblas_sgemm`
/// when a BLAS library can be loaded, otherwise a blocked SIMD loop in Swift.
///
/// ``shared`` loads the library once, lazily, and is immutable afterwards. Set
/// `SPARROW_BLAS=/path/to/libblas.so` to try a particular library first, or
/// `SPARROW_BLAS=none` to force the Swift loop.
package struct DenseGEMM: Sendable {
    /// Which implementation runs.
    package enum Backend: Sendable, Hashable, CustomStringConvertible {
        /// A BLAS library opened with dlopen: its name, OpenBLAS's thread count and configuration.
        case blas(library: String, threads: Int?, config: String?)
        /// The Swift fallback, with the number of threads it uses.
        case swift(threads: Int)

        package var description: String {
            switch self {
            case let .blas(library, threads, config):
                "\(library)" + (threads.map { ", \($0) threads" } ?? "") + (config.map { ", \($0)" } ?? "")
            case let .swift(threads): "Swift SIMD fallback, \(threads) threads"
            }
        }
    }

    let library: OpenBLASLibrary?
    let pool: CPUWorkerPool
    /// Why candidates were not used, one line each naming the library once
    /// (`libopenblas.so.0: cannot open shared object file: No such file or directory`).
    package let loadFailures: [String]
    /// How to install OpenBLAS, when loading was tried and no library loaded; nil when one
    /// loaded or the Swift fallback was asked for (`SPARROW_BLAS=none`, ``swiftFallback(pool:)``).
    package let installHint: String?

    /// The process-wide instance: BLAS if one loads, else the Swift fallback on the shared pool.
    package static let shared = DenseGEMM()

    /// Loads BLAS from `SPARROW_BLAS` or the usual sonames.
    package init(pool: CPUWorkerPool = .shared) {
        var names = OpenBLASLibrary.candidates
        if let requested = getenv("SPARROW_BLAS").map({ String(cString: $0) }), !requested.isEmpty {
            names = requested == "none" ? [] : [requested] + names
        }
        let (library, failures) = OpenBLASLibrary.load(names: names)
        self.library = library
        self.loadFailures = failures
        self.installHint = library == nil && !names.isEmpty ? OpenBLASLibrary.installHint : nil
        self.pool = pool
    }

    /// The Swift fallback only (for tests and comparisons).
    package static func swiftFallback(pool: CPUWorkerPool = .shared) -> DenseGEMM {
        DenseGEMM(library: nil, failures: ["forced Swift fallback"], pool: pool)
    }

    private init(library: OpenBLASLibrary?, failures: [String], pool: CPUWorkerPool) {
        self.library = library
        self.loadFailures = failures
        self.installHint = nil
        self.pool = pool
    }

    /// Why the loaded OpenBLAS runs slower kernels than this CPU allows, and the fix (nil when
    /// it does not, or when no OpenBLAS is loaded).
    package var outdatedKernelsWarning: String? {
        OpenBLASLibrary.outdatedCoreWarning(config: library?.config, supported: CPUISA.supported)
    }

    package var backend: Backend {
        if let library { return .blas(library: library.name, threads: library.threads, config: library.config) }
        return .swift(threads: pool.threadCount)
    }

    /// `C = alpha A B + beta C`: A is `m x k` (row stride `lda`), B `k x n` (`ldb`), C `m x n` (`ldc`).
    package func sgemm(
        m: Int, n: Int, k: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0 && lda >= max(1, k) && ldb >= max(1, n) && ldc >= max(1, n))
        guard m > 0, n > 0 else { return }
        let limit = Int(Int32.max)
        if let library, m <= limit, n <= limit, k <= limit, lda <= limit, ldb <= limit, ldc <= limit {
            library.sgemm(
                OpenBLASLibrary.rowMajor, OpenBLASLibrary.noTranspose, OpenBLASLibrary.noTranspose,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        } else {
            SwiftGEMM(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
                .run(pool: pool)
        }
    }

    /// Runs `body` with OpenBLAS's own threads set to one, restoring the count after; other
    /// libraries and the Swift fallback run `body` as it is. For a caller that splits its GEMMs
    /// over its own pool (each piece a single-threaded call): OpenBLAS's workers spin for a while
    /// after each call, and would compete with the pool's threads for the same cores. Returns
    /// whether the calls inside are single-threaded (and so may run concurrently, one per thread
    /// of the caller's pool).
    package func withSingleThreadedBLAS<R>(_ body: (_ singleThreaded: Bool) -> R) -> R {
        guard let library else { return body(true) }
        guard let set = library.setThreads, let get = library.currentThreads else { return body(false) }
        // Scopes on several threads at once (tests run in parallel; two pools' callers) share one
        // process-wide setting: the first sets one thread, the last restores what the first found,
        // so no scope sees the count restored while another still relies on one thread.
        library.singleThreadedScopes.withLock { scopes in
            if scopes.count == 0 {
                scopes.previous = get()
                if scopes.previous != 1 { set(1) }
            }
            scopes.count += 1
        }
        defer {
            library.singleThreadedScopes.withLock { scopes in
                scopes.count -= 1
                if scopes.count == 0 && scopes.previous != 1 { set(scopes.previous) }
            }
        }
        return body(true)
    }

    /// `A B` with shapes checked.
    package func multiply(_ a: DenseMatrix<Float>, _ b: DenseMatrix<Float>) throws(CPUKernelError) -> DenseMatrix<Float> {
        guard a.columns == b.rows else {
            throw .shapeMismatch(operation: "gemm A x B", operand: "B", expected: [a.columns, b.columns], actual: b.shape)
        }
        var c = try CPUSpMMPlan.output(rows: a.rows, columns: b.columns)
        a.storage.withUnsafeBufferPointer { ab in
            b.storage.withUnsafeBufferPointer { bb in
                c.storage.withUnsafeMutableBufferPointer { cb in
                    sgemm(
                        m: a.rows, n: b.columns, k: a.columns, a: ab.baseAddress ?? CPUSpMMPlan.neverRead,
                        lda: max(1, a.columns), b: bb.baseAddress ?? CPUSpMMPlan.neverRead, ldb: max(1, b.columns),
                        c: cb.baseAddress ?? CPUSpMMPlan.neverWritten, ldc: max(1, b.columns))
                }
            }
        }
        return c
    }
}
