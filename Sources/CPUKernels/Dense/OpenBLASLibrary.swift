import Synchronization
import SystemLibraries

/// A BLAS library loaded at run time with `dlopen`: its `cblas_sgemm` and, for OpenBLAS,
/// its thread count and build configuration.
final class OpenBLASLibrary: Sendable {
    // cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) with
    // 32-bit `blasint` (Debian's libopenblas0, scipy-openblas32; the 64-bit-index builds are
    // libopenblas64 and numpy's bundled scipy_openblas64_, whose symbols Sparrow does not look up).
    typealias Sgemm = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
        UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
    typealias GetInt = @convention(c) () -> Int32
    typealias SetInt = @convention(c) (Int32) -> Void
    typealias GetString = @convention(c) () -> UnsafePointer<CChar>?

    static let rowMajor: Int32 = 101
    static let noTranspose: Int32 = 111

    /// The name the library was opened by.
    let name: String
    let sgemm: Sgemm
    let threads: Int?
    /// OpenBLAS's thread count now, and its setter (nil for a BLAS without them).
    let currentThreads: GetInt?
    let setThreads: SetInt?
    let config: String?
    /// Callers inside ``DenseGEMM/withSingleThreadedBLAS(_:)`` now, and the thread count the
    /// first of them found (restored when the last leaves).
    let singleThreadedScopes = Mutex<(count: Int, previous: Int32)>((0, 1))
    // Kept open for the life of the process: function pointers into it are handed out.
    private let library: DynamicLibrary

    /// Sonames tried in order: OpenBLAS (Debian `libopenblas0`), then any CBLAS.
    static let candidates: [String] = {
        #if os(macOS)
        ["libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
         "/System/Library/Frameworks/Accelerate.framework/Accelerate"]
        #else
        ["libopenblas.so.0", "libopenblas.so", "libcblas.so.3", "libblas.so.3"]
        #endif
    }()

    /// Symbol prefixes tried in order: plain CBLAS, then the `scipy_` prefix of the OpenBLAS
    /// that PyPI's `scipy-openblas32` and scipy's wheels ship (same ABI, renamed symbols).
    static let symbolPrefixes = ["", "scipy_"]

    /// OpenBLAS's DYNAMIC_ARCH targets without AVX2, as `openblas_get_config` names them: the
    /// kernels it falls back to when it does not recognise a CPU model (OpenBLAS 0.3.21 runs
    /// "Prescott" on an Emerald Rapids Xeon: Sparrow's dense MiniLM path took 55-89 ms at batch 1
    /// with it, 21-23 ms with `OPENBLAS_CORETYPE=SkylakeX`, docs/perf/2026-12-01-cpu-xeon-minilm).
    static let coresWithoutAVX2: Set<String> = [
        "Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine", "Northwood", "Banias",
        "Opteron", "Opteron_SSE3", "Barcelona", "Bobcat", "Nano", "Sandybridge", "Bulldozer", "Piledriver", "Steamroller",
    ]

    /// A warning when OpenBLAS's build configuration (`config`) names a core without AVX2 while
    /// this CPU runs AVX2 or AVX-512 (`supported`), with the variable that selects the right
    /// kernels; nil otherwise.
    static func outdatedCoreWarning(config: String?, supported: [CPUISA]) -> String? {
        guard let config, let core = config.split(separator: " ").map(String.init).first(where: coresWithoutAVX2.contains) else { return nil }
        let target = supported.contains(.avx512) ? "SkylakeX" : supported.contains(.avx2) ? "Haswell" : nil
        return target.map {
            "OpenBLAS does not recognise this CPU and runs its \(core) kernels (no AVX2): dense GEMM is several times slower "
                + "than it should be; export OPENBLAS_CORETYPE=\($0) before running Sparrow"
        }
    }

    /// How to get OpenBLAS, for messages when none loads.
    static let installHint =
        "install OpenBLAS: `apt-get install libopenblas0-pthread` (Debian/Ubuntu; it needs libgfortran5, which apt brings), "
        + "or without root `pip install scipy-openblas32` and set SPARROW_BLAS to its library: "
        + #"SPARROW_BLAS="$(python3 -c 'import scipy_openblas32 as s; print(s.get_lib_dir())')/libscipy_openblas.so""#

    private init(name: String, library: DynamicLibrary, sgemm: Sgemm, prefix: String) {
        self.name = name
        self.library = library
        self.sgemm = sgemm
        currentThreads = library.symbol(prefix + "openblas_get_num_threads", as: GetInt.self)
        setThreads = library.symbol(prefix + "openblas_set_num_threads", as: SetInt.self)
        threads = currentThreads.map { Int($0()) }
        config = library.symbol(prefix + "openblas_get_config", as: GetString.self).flatMap { $0() }.map { String(cString: $0) }
    }

    /// Opens the first library of `names` that exports `cblas_sgemm` (under one of
    /// ``symbolPrefixes``); records why each one failed, naming it once.
    static func load(names: [String]) -> (library: OpenBLASLibrary?, failures: [String]) {
        var failures: [String] = []
        for name in names {
            switch DynamicLibrary.open(name, scope: .local) {
            case .failure(let failure):
                failures.append(failure.description)
            case .success(let library):
                for prefix in symbolPrefixes {
                    if let sgemm = library.symbol(prefix + "cblas_sgemm", as: Sgemm.self) {
                        return (OpenBLASLibrary(name: name, library: library, sgemm: sgemm, prefix: prefix), failures)
                    }
                }
                // Left open: a library without CBLAS costs one mapping, and dlclose is not
                // always safe (a library may have registered handlers or thread-local state).
                failures.append("\(name): no cblas_sgemm (a BLAS without the CBLAS interface)")
            }
        }
        return (nil, failures)
    }
}
