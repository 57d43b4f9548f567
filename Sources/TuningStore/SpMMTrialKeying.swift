import KernelGen

/// Keys for GPU SpMM trials: op `spmm`, the config's id and family as KernelGen names them.
package struct SpMMTrialKeying: TrialKeying {
    package init() {}

    /// The op's name in ``ProblemKey/op``.
    package static let op = "spmm"

    package func problemKey(_ problem: SpMMProblem) -> ProblemKey {
        let hex = String(problem.patternDigest, radix: 16)
        return ProblemKey(
            op: Self.op, patternDigest: String(repeating: "0", count: 16 - hex.count) + hex, matrixRows: problem.n,
            matrixColumns: problem.k, nnz: problem.nnz, width: problem.m, elementType: problem.elementType.rawValue,
            accumulator: problem.accumulator.rawValue,
            // Both change the generated kernel and so which config wins.
            variant: "epilogue=\(problem.epilogue.rawValue),rows=\(problem.rowOrdering.rawValue)")
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
