extension CSRMatrix {
    /// The CSR matrix of `perRow[r]`, row r's entries in any order (sorted here by column), the
    /// columns of a row distinct and inside `columns`: what the compact formats' decoders collect
    /// block by block.
    static func assembling(rows: Int, columns: Int, perRow: [[(column: Int32, value: Element)]]) -> CSRMatrix {
        var rowOffsets = [Int32](repeating: 0, count: rows + 1)
        var columnIndices = [Int32](), values = [Element]()
        let count = perRow.reduce(0) { $0 + $1.count }
        columnIndices.reserveCapacity(count)
        values.reserveCapacity(count)
        for row in 0..<rows {
            for entry in perRow[row].sorted(by: { $0.column < $1.column }) {
                columnIndices.append(entry.column)
                values.append(entry.value)
            }
            rowOffsets[row + 1] = Int32(values.count)
        }
        return CSRMatrix(unchecked: rows, columns, rowOffsets, columnIndices, values)
    }
}
