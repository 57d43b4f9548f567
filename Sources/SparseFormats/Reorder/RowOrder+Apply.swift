extension RowOrder {
    /// The matrix whose row `i` is row `rows[i]` of `matrix` (columns and values unchanged, still
    /// canonical).
    public func applied<E: SparseElement>(to matrix: CSRMatrix<E>) throws(RowOrderError) -> CSRMatrix<E> {
        guard matrix.rows == count else { throw .countMismatch(orderCount: count, rows: matrix.rows) }
        var offsets = [Int32](repeating: 0, count: count + 1)
        var columns: [Int32] = []
        var values: [E] = []
        columns.reserveCapacity(matrix.nnz)
        values.reserveCapacity(matrix.nnz)
        for (slot, row) in rows.enumerated() {
            let range = matrix.range(ofRow: Int(row))
            columns += matrix.columnIndices[range]
            values += matrix.values[range]
            // A permutation moves whole rows, so the running total never exceeds nnz (<= Int32.max).
            offsets[slot + 1] = Int32(truncatingIfNeeded: columns.count)
        }
        return CSRMatrix(unchecked: matrix.rows, matrix.columns, offsets, columns, values)
    }

    /// The dense matrix whose row `i` is row `rows[i]` of `matrix`. To restore a product computed
    /// on a reordered sparse matrix, apply the ``inverse``.
    public func applied<E: SparseElement>(to matrix: DenseMatrix<E>) throws(RowOrderError) -> DenseMatrix<E> {
        guard matrix.rows == count else { throw .countMismatch(orderCount: count, rows: matrix.rows) }
        let width = matrix.columns
        var storage: [E] = []
        storage.reserveCapacity(matrix.storage.count)
        for row in rows {
            let start = Int(row) * width
            storage += matrix.storage[start..<start + width]
        }
        return DenseMatrix(unchecked: matrix.rows, width, storage)
    }

    /// `elements` reordered the same way (per-row data such as a bias): element `i` of the result
    /// is `elements[rows[i]]`.
    public func applied<T>(to elements: [T]) throws(RowOrderError) -> [T] {
        guard elements.count == count else { throw .countMismatch(orderCount: count, rows: elements.count) }
        return rows.map { elements[Int($0)] }
    }
}
