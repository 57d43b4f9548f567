import Runtime
import SparseFormats
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

    /// Keys for the problems of the matrix whose pattern digest is `pattern`.
    package init(pattern: PatternDigest) {
        self.pattern = pattern
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
