import KernelGen
import Tuner
import Runtime
import SparseFormats

/// Whether a timed kernel is Sparrow's own or a baseline it is compared against.
package enum CandidateRole: String, Codable, Sendable {
    case ours
    case baseline
}

/// One SpMM problem of a benchmark: a CSR weight matrix and the dense width M.
///
/// Y[N x M] = W[N x K] X[K x M]; X is filled from ``SeededGenerator`` so every
/// candidate and every run sees the same operands.
package struct SpMMBenchProblem: Sendable {
    package var name: String
    package var suite: String
    /// The sparsity the suite names (e.g. 0.9 for a DLMC folder), for grouping.
    package var nominalSparsity: Double
    package var matrix: CSRMatrix<Float>
    package var m: Int
    /// The file the matrix came from (`path`, or `path#tensor` for a file of several), when it
    /// came from a file.
    package var file: String?

    package init(name: String, suite: String, nominalSparsity: Double, matrix: CSRMatrix<Float>, m: Int, file: String? = nil) {
        self.name = name
        self.suite = suite
        self.nominalSparsity = nominalSparsity
        self.matrix = matrix
        self.m = m
        self.file = file
    }

    /// Where the matrix came from, as the tuning database records it: the file, else
    /// `suite/name` (`dlmc-rn50/rn50/0.9/bottleneck_1_block_group1_1_1`).
    package var source: String { file ?? "\(suite)/\(name)" }

    /// Useful floating-point work: one multiply and one add per stored weight per column of X.
    package var flops: Double { 2 * Double(matrix.nnz) * Double(m) }

    /// The fewest bytes any kernel must move: values and indices of W and its row
    /// offsets once, X once, Y once, at `elementBytes` per value.
    package func minimumBytes(elementBytes: Int) -> Double {
        let e = Double(elementBytes)
        let sparse = Double(matrix.nnz) * (e + 4) + Double(matrix.rows + 1) * 4
        let dense = Double(matrix.columns) * Double(m) * e + Double(matrix.rows) * Double(m) * e
        return sparse + dense
    }
}

/// Something the benchmark can check and time on one problem: a Sparrow kernel or a baseline.
///
/// The runner calls ``prepare(_:x:verifier:)`` once (copies, compilation, plan building: never
/// timed), then ``output()`` to check correctness (the candidate must poison its output
/// with NaN before computing it), then ``time(warmup:iterations:)``.
package protocol SpMMCandidate: AnyObject {
    var name: String { get }
    var role: CandidateRole { get }
    var precision: ComputePrecision { get }
    /// Prepares the candidate for `problem` with the dense operand `x` (K x M, row-major);
    /// `verifier` holds the Float64 result, for candidates that check configurations while
    /// they prepare (a sweep), so it is computed once per problem.
    func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws
    /// Runs once and returns Y (N x M, row-major) converted to Float.
    func output() throws -> [Float]
    /// Seconds per run, one entry per timed run, after `warmup` untimed runs.
    func time(warmup: Int, iterations: Int) throws -> [Double]
    /// Frees what ``prepare(_:x:verifier:)`` allocated.
    func release()
    /// The kernel configuration chosen by ``prepare(_:x:verifier:)``, if the candidate has one.
    var chosenConfig: String? { get }
    /// Where the chosen configuration came from (tuning database, search, named), if it has one.
    var configOrigin: ConfigOrigin? { get }
    /// Every configuration a sweep inside ``prepare(_:x:verifier:)`` timed.
    var sweepLog: [SweepEntry] { get }
    /// What the compiler said of the chosen kernel (registers, spills, shared memory), if any.
    var resources: String? { get }
    /// Device copies of W the timed launches rotate through (``ColdRotation``); 1: warm.
    var coldCopies: Int { get }
    /// Bytes of W one launch reads in the candidate's format (``WeightBytes``), if known.
    var weightBytes: Double? { get }
}

extension SpMMCandidate {
    package func release() {}
    package var chosenConfig: String? { nil }
    package var configOrigin: ConfigOrigin? { nil }
    package var sweepLog: [SweepEntry] { [] }
    package var resources: String? { nil }
    package var coldCopies: Int { 1 }
    package var weightBytes: Double? { nil }
}

/// One configuration timed by a sweep: its median time, or why it was not timed.
package struct SweepEntry: Codable, Sendable {
    package var config: String
    package var medianSeconds: Double?
    package var detail: String?
    /// NVRTC seconds the trial's kernel cost (compile or disk-cache hit, and module load); nil
    /// where not recorded.
    package var compileSeconds: Double?

    package init(config: String, medianSeconds: Double?, detail: String?, compileSeconds: Double? = nil) {
        self.config = config
        self.medianSeconds = medianSeconds
        self.detail = detail
        self.compileSeconds = compileSeconds
    }
}

/// A candidate that does not apply to a problem (unsupported dtype, algorithm refused
/// by the library...) throws this to be listed as skipped rather than failed.
package struct CandidateSkipped: Error, CustomStringConvertible {
    package var reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}

extension SweepEntry {
    /// A tuner trial as the report lists it: the median when it was timed, else what went wrong.
    init(trial: Trial<SpMMConfig>) {
        defer { compileSeconds = trial.compileSeconds }
        switch trial.status {
        case let .ok(seconds): self.init(config: trial.config.identifier, medianSeconds: seconds, detail: nil)
        case let .wrongResult(_, detail): self.init(config: trial.config.identifier, medianSeconds: nil, detail: detail)
        case let .compileError(text), let .launchError(text), let .invalid(text), let .skipped(text):
            self.init(config: trial.config.identifier, medianSeconds: nil, detail: text)
        }
    }
}
