extension CSRMatrix {
    /// The matrix in BSR form at the first of `shapes` (block rows x block columns) whose blocks
    /// store only nonzeros, as block pruning leaves a weight; nil when no shape fits exactly (a
    /// blocking that would store explicit zeros is not taken).
    public func exactBlocking(_ shapes: [(rows: Int, columns: Int)]) -> BSRMatrix<Element>? {
        for (r, c) in shapes where r > 0 && c > 0 && rows % r == 0 && columns % c == 0 && nnz % (r * c) == 0 {
            if let blocked = try? bsr(blockRows: r, blockColumns: c), blocked.storedCount == nnz { return blocked }
        }
        return nil
    }
}
