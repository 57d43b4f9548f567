import KernelGen

extension SpMMProblem {
    /// Whether `pattern` can be this problem's W (same shape, nnz and longest row).
    package func isDescribed(by pattern: PatternStatistics) -> Bool {
        pattern.describes(rows: n, columns: k, nnz: nnz, maxRowLength: maxRowLength)
    }
}
