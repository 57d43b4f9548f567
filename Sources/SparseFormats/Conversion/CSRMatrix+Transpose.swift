extension CSRMatrix {
    /// The transpose (`columns x rows`), canonical, stored entries (explicit zeros
    /// included) kept. A counting sort over columns: O(nnz + rows + columns).
    @inlinable
    public func transposed() -> CSRMatrix {
        var counts = [Int32](repeating: 0, count: columns + 1)
        for column in columnIndices { counts[Int(column) + 1] += 1 }
        for column in 0..<columns { counts[column + 1] += counts[column] }
        let offsets = counts
        var next = counts
        var newColumns = [Int32](repeating: 0, count: nnz)
        var newValues = [Element](repeating: .zero, count: nnz)
        // Rows are visited in increasing order, so each transposed row comes out sorted.
        for row in 0..<rows {
            for position in range(ofRow: row) {
                let column = Int(columnIndices[position])
                let target = Int(next[column])
                next[column] += 1
                newColumns[target] = Int32(truncatingIfNeeded: row)
                newValues[target] = values[position]
            }
        }
        return CSRMatrix(unchecked: columns, rows, offsets, newColumns, newValues)
    }
}
