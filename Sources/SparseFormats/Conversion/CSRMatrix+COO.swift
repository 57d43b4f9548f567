extension CSRMatrix {
    /// Builds a canonical matrix from coordinate (COO) triples in any order.
    ///
    /// Triple `i` is `(rowIndices[i], columnIndices[i], values[i])`. Repeated positions are
    /// summed as scipy's `sum_duplicates` does (in Float64, in input order, rounded once).
    /// Entries whose value is zero are kept as explicit entries, as in scipy.
    /// Throws ``SparseFormatError/rowOutOfRange(position:row:rows:)`` and
    /// ``SparseFormatError/columnOutOfRange(row:position:column:columns:)`` naming the triple,
    /// and ``SparseFormatError/valueCount(expected:actual:)`` when the three arrays differ in length.
    public static func fromCOO<Index: BinaryInteger>(
        rows: Int, columns: Int, rowIndices: [Index], columnIndices: [Index], values: [Element]
    ) throws(SparseFormatError) -> CSRMatrix {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        guard columnIndices.count == rowIndices.count else {
            throw .valueCount(expected: rowIndices.count, actual: columnIndices.count)
        }
        guard values.count == rowIndices.count else {
            throw .valueCount(expected: rowIndices.count, actual: values.count)
        }
        try checkIndexable(values.count, "nnz")
        let count = values.count
        var counts = [Int32](repeating: 0, count: rows + 1)
        for position in 0..<count {
            let row = rowIndices[position], column = columnIndices[position]
            guard row >= 0, row < rows else {
                throw .rowOutOfRange(position: position, row: Int(clamping: row), rows: rows)
            }
            guard column >= 0, column < columns else {
                throw .columnOutOfRange(
                    row: Int(row), position: position, column: Int(clamping: column), columns: columns)
            }
            counts[Int(row) + 1] += 1
        }
        for row in 0..<rows { counts[row + 1] += counts[row] }
        // A stable counting sort by row; canonicalizing then sorts each row by column and
        // sums duplicates in this (input) order.
        var next = counts
        var sortedColumns = [Int32](repeating: 0, count: count)
        var sortedValues = [Element](repeating: .zero, count: count)
        for position in 0..<count {
            let row = Int(rowIndices[position])
            let target = Int(next[row])
            next[row] += 1
            sortedColumns[target] = Int32(truncatingIfNeeded: columnIndices[position])
            sortedValues[target] = values[position]
        }
        return try canonicalizing(
            rows: rows, columns: columns, rowOffsets: counts, columnIndices: sortedColumns, values: sortedValues)
    }
}
