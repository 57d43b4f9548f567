import Runtime
import SparseFormats
import Tuner
import TuningStore

/// Keys for CPU plan trials: op `spmm-cpu`, one matrix's pattern digest, the config's id
/// (``CPUPlanConfig/description``), one family.
///
/// ``CPUSpMMProblem`` carries the shape but not the pattern, so a keying serves one matrix: make
/// one per matrix tuned.
package struct CPUPlanTrialKeying: TrialKeying {
    /// The op's name in ``StoredProblemKey/op`` (and the only family).
    package static let op = "spmm-cpu"

    /// The pattern digest of the matrix whose problems this keying names.
    package let pattern: PatternDigest
    /// Where the matrix came from and its pattern's statistics, recorded in its rows.
    package let source: String?
    package let statistics: PatternStatistics?

    /// Keys for the problems of the matrix whose pattern digest is `pattern` (from `source`,
    /// with `statistics`).
    package init(pattern: PatternDigest, source: String? = nil, statistics: PatternStatistics? = nil) {
        self.pattern = pattern
        self.source = source
        self.statistics = statistics
    }

    package func details(_ problem: CPUSpMMProblem) -> ProblemDetails {
        ProblemDetails(source: source, pattern: statistics)
    }

    package func problemKey(_ problem: CPUSpMMProblem) -> StoredProblemKey {
        StoredProblemKey(
            op: Self.op, patternDigest: pattern.description, matrixRows: problem.rows, matrixColumns: problem.columns,
            nnz: problem.storedCount, width: problem.m, elementType: "f32", accumulator: "f32")
    }

    package func configID(_ config: CPUPlanConfig) -> String { config.description }

    package func family(_ config: CPUPlanConfig) -> String { Self.op }

    package func config(parsing id: String) throws(TuningStoreError) -> CPUPlanConfig {
        do {
            return try CPUPlanConfig(parsing: id)
        } catch {
            throw .unparsableConfig(id: id, reason: error.description)
        }
    }
}
