import KernelGen

import Tuner

/// Keys for GPU SpMM trials: op `spmm`, the config's id and family as KernelGen names them.
///
/// ``SpMMProblem`` summarises its pattern (digest, longest row), so the statistics a cost model
/// needs come with the keying: made for one matrix, it records its `source` and `pattern` in the
/// rows of problems of that matrix's shape (and nothing for others).
package struct SpMMTrialKeying: TrialKeying {
    /// Where the matrix came from, recorded in its rows.
    package var source: String?
    /// The matrix's pattern statistics, recorded in the rows of problems it describes.
    package var pattern: PatternStatistics?

    /// Keys for any matrix's problems; with `pattern`, rows of problems of that matrix (same
    /// shape, nnz and longest row) record `source` and the statistics.
    package init(source: String? = nil, pattern: PatternStatistics? = nil) {
        self.source = source
        self.pattern = pattern
    }

    package func details(_ problem: SpMMProblem) -> ProblemDetails {
        guard let pattern, problem.isDescribed(by: pattern) else { return ProblemDetails() }
        var details = ProblemDetails(source: source, pattern: pattern)
        details.maxBlockEntries = problem.maxBlockEntries
        return details
    }

    /// The op's name in ``ProblemKey/op``.
    package static let op = "spmm"

    package func problemKey(_ problem: SpMMProblem) -> ProblemKey {
        let hex = String(problem.patternDigest, radix: 16)
        return ProblemKey(
            op: Self.op, patternDigest: String(repeating: "0", count: 16 - hex.count) + hex, matrixRows: problem.n,
            matrixColumns: problem.k, nnz: problem.nnz, width: problem.m, elementType: problem.elementType.rawValue,
            accumulator: problem.accumulator.rawValue,
            // The epilogue and row order change the generated kernel, 2:4 which configs are legal: all change which wins.
            variant: "epilogue=\(problem.epilogue.rawValue),rows=\(problem.rowOrdering.rawValue)" + (problem.twoFour ? ",w=2:4" : ""))
    }

    package func configID(_ config: SpMMConfig) -> String { config.description }

    package func family(_ config: SpMMConfig) -> String { config.family.rawValue }

    package func config(parsing id: String) throws(TuningStoreError) -> SpMMConfig {
        do {
            return try SpMMConfig(parsing: id)
        } catch {
            throw .unparsableConfig(id: id, reason: error.description)
        }
    }
}
