extension BSRMatrix {
    /// The blocks of a dense matrix that hold at least one nonzero (NaN counts as nonzero).
    /// Shape rules as ``init(_:blockRows:blockColumns:padShape:)``: pad with `padShape`,
    /// otherwise a shape not divisible by the block throws.
    @inlinable
    public init(
        _ dense: DenseMatrix<Element>, blockRows: Int, blockColumns: Int, padShape: Bool = false
    ) throws(SparseFormatError) {
        let (rows, columns) = try BSRMatrix.blockedShape(
            rows: dense.rows, columns: dense.columns, blockRows: blockRows, blockColumns: blockColumns,
            padShape: padShape)
        let blockSize = blockRows * blockColumns
        var offsets = [Int32](repeating: 0, count: rows / blockRows + 1)
        var blockColumnsOut = [Int32](), values = [Element]()
        for blockRow in 0..<(rows / blockRows) {
            for blockColumn in 0..<(columns / blockColumns) {
                var any = false
                // Rows and columns past the dense shape are padding: zero by definition.
                for r in (blockRow * blockRows)..<min((blockRow + 1) * blockRows, dense.rows) where !any {
                    let base = r * dense.columns
                    for c in (blockColumn * blockColumns)..<min((blockColumn + 1) * blockColumns, dense.columns)
                    where dense.storage[base + c].doubleValue != 0 {
                        any = true
                        break
                    }
                }
                guard any else { continue }
                blockColumnsOut.append(Int32(truncatingIfNeeded: blockColumn))
                try checkIndexable(blockColumnsOut.count * blockSize, "stored elements")
                for i in 0..<blockRows {
                    for j in 0..<blockColumns {
                        let r = blockRow * blockRows + i, c = blockColumn * blockColumns + j
                        values.append(r < dense.rows && c < dense.columns ? dense.storage[r * dense.columns + c] : .zero)
                    }
                }
            }
            offsets[blockRow + 1] = Int32(truncatingIfNeeded: blockColumnsOut.count)
        }
        self.init(unchecked: rows, columns, blockRows, blockColumns, offsets, blockColumnsOut, values)
    }

    /// The matrix with every stored element in place and zeros elsewhere (BSR shape).
    @inlinable
    public func dense() -> DenseMatrix<Element> {
        var storage = [Element](repeating: .zero, count: rows * columns)
        for blockRow in 0..<blockRowCount {
            for block in Int(rowOffsets[blockRow])..<Int(rowOffsets[blockRow + 1]) {
                let firstColumn = Int(columnIndices[block]) * blockColumns
                for r in 0..<blockRows {
                    let out = (blockRow * blockRows + r) * columns + firstColumn
                    let from = block * blockSize + r * blockColumns
                    for c in 0..<blockColumns { storage[out + c] = values[from + c] }
                }
            }
        }
        return DenseMatrix(unchecked: rows, columns, storage)
    }
}

extension DenseMatrix {
    /// The matrix in BSR form; see `BSRMatrix.init(_ dense:blockRows:blockColumns:padShape:)`.
    @inlinable
    public func bsr(blockRows: Int, blockColumns: Int, padShape: Bool = false) throws(SparseFormatError) -> BSRMatrix<Element> {
        try BSRMatrix(self, blockRows: blockRows, blockColumns: blockColumns, padShape: padShape)
    }
}
