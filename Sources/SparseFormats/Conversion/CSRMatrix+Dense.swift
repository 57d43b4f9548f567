extension CSRMatrix {
    /// The nonzero elements of a dense matrix. Exact zeros (`+0` and `-0`) are dropped;
    /// NaN and infinities are kept as stored entries.
    @inlinable
    public init(_ dense: DenseMatrix<Element>) throws(SparseFormatError) {
        let rows = dense.rows, columns = dense.columns
        var offsets = [Int32](repeating: 0, count: rows + 1)
        var columnIndices = [Int32](), values = [Element]()
        dense.storage.withUnsafeBufferPointer { storage in
            // storage.count == rows * columns (DenseMatrix invariant), so every index is in bounds.
            for row in 0..<rows {
                let base = row * columns
                for column in 0..<columns {
                    let value = storage[base + column]
                    if value.doubleValue != 0 {
                        columnIndices.append(Int32(truncatingIfNeeded: column))
                        values.append(value)
                    }
                }
                // Checked after each row so that an over-full matrix fails before it grows further.
                offsets[row + 1] = Int32(clamping: values.count)
            }
        }
        try checkIndexable(values.count, "nnz")
        self.init(unchecked: rows, columns, offsets, columnIndices, values)
    }

    /// The matrix with every entry in place and zeros elsewhere.
    @inlinable
    public func dense() -> DenseMatrix<Element> {
        var storage = [Element](repeating: .zero, count: rows * columns)
        for row in 0..<rows {
            let base = row * columns
            for position in range(ofRow: row) {
                storage[base + Int(columnIndices[position])] = values[position]
            }
        }
        return DenseMatrix(unchecked: rows, columns, storage)
    }
}

extension DenseMatrix {
    /// The matrix in CSR form, exact zeros dropped (see ``CSRMatrix/init(_:)``).
    @inlinable
    public func csr() throws(SparseFormatError) -> CSRMatrix<Element> { try CSRMatrix(self) }
}
