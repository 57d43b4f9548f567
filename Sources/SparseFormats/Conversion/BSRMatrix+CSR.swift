extension BSRMatrix {
    /// The blocks of a CSR matrix: every `blockRows x blockColumns` block that holds at least
    /// one stored entry (explicit zeros included) is stored, zero-padded where it is only
    /// partly filled.
    ///
    /// When the shape is not divisible by the block, `padShape: false` (the default) throws
    /// ``SparseFormatError/shapeNotDivisibleByBlock(rows:columns:blockRows:blockColumns:)``;
    /// `padShape: true` rounds the shape up to the next multiples of the block with zero rows
    /// and columns (so `rows` and `columns` of the result may exceed the input's).
    /// Runs in O(nnz + stored elements + block columns).
    @inlinable
    public init(
        _ csr: CSRMatrix<Element>, blockRows: Int, blockColumns: Int, padShape: Bool = false
    ) throws(SparseFormatError) {
        let (rows, columns) = try BSRMatrix.blockedShape(
            rows: csr.rows, columns: csr.columns, blockRows: blockRows, blockColumns: blockColumns, padShape: padShape)
        let blockRowCount = rows / blockRows, blockColumnCount = columns / blockColumns
        let blockSize = blockRows * blockColumns
        var offsets = [Int32](repeating: 0, count: blockRowCount + 1)
        var blockColumnsOut = [Int32]()
        var values = [Element]()
        // `stamp[bc] == blockRow + 1` marks block column bc as seen in this block row;
        // `slot[bc]` is then its block's index in the output.
        var stamp = [Int](repeating: 0, count: blockColumnCount)
        var slot = [Int](repeating: 0, count: blockColumnCount)
        var touched = [Int]()
        for blockRow in 0..<blockRowCount {
            let firstRow = blockRow * blockRows
            let lastRow = min(firstRow + blockRows, csr.rows)
            touched.removeAll(keepingCapacity: true)
            for row in firstRow..<max(firstRow, lastRow) {
                for position in csr.range(ofRow: row) {
                    let bc = Int(csr.columnIndices[position]) / blockColumns
                    if stamp[bc] != blockRow + 1 {
                        stamp[bc] = blockRow + 1
                        touched.append(bc)
                    }
                }
            }
            touched.sort()
            let base = blockColumnsOut.count
            for (i, bc) in touched.enumerated() {
                slot[bc] = base + i
                blockColumnsOut.append(Int32(truncatingIfNeeded: bc))
            }
            try checkIndexable((blockColumnsOut.count) * blockSize, "stored elements")
            values.append(contentsOf: repeatElement(Element.zero, count: touched.count * blockSize))
            for row in firstRow..<max(firstRow, lastRow) {
                let withinRow = (row - firstRow) * blockColumns
                for position in csr.range(ofRow: row) {
                    let column = Int(csr.columnIndices[position])
                    let bc = column / blockColumns
                    values[slot[bc] * blockSize + withinRow + column - bc * blockColumns] = csr.values[position]
                }
            }
            offsets[blockRow + 1] = Int32(truncatingIfNeeded: blockColumnsOut.count)
        }
        self.init(unchecked: rows, columns, blockRows, blockColumns, offsets, blockColumnsOut, values)
    }

    /// The shape a matrix takes in blocks: itself when divisible, rounded up with `padShape`,
    /// otherwise an error.
    @inlinable
    static func blockedShape(
        rows: Int, columns: Int, blockRows: Int, blockColumns: Int, padShape: Bool
    ) throws(SparseFormatError) -> (rows: Int, columns: Int) {
        guard blockRows > 0, blockColumns > 0 else {
            throw .invalidBlockShape(blockRows: blockRows, blockColumns: blockColumns)
        }
        try checkIndexable(blockRows, "block rows")
        try checkIndexable(blockColumns, "block columns")
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        if rows % blockRows == 0, columns % blockColumns == 0 { return (rows, columns) }
        guard padShape else {
            throw .shapeNotDivisibleByBlock(rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns)
        }
        // Both operands are at most Int32.max, so these sums cannot overflow Int.
        let paddedRows = (rows + blockRows - 1) / blockRows * blockRows
        let paddedColumns = (columns + blockColumns - 1) / blockColumns * blockColumns
        try checkIndexable(paddedRows, "padded rows")
        try checkIndexable(paddedColumns, "padded columns")
        return (paddedRows, paddedColumns)
    }

    /// The stored elements as CSR. With `droppingZeros` (the default) exact zeros inside
    /// blocks (padding included) are left out; otherwise every stored element becomes an
    /// entry. The shape is the BSR shape (padding rows and columns are not cut off).
    @inlinable
    public func csr(droppingZeros: Bool = true) throws(SparseFormatError) -> CSRMatrix<Element> {
        var offsets = [Int32](repeating: 0, count: rows + 1)
        var newColumns = [Int32](), newValues = [Element]()
        if !droppingZeros {
            newColumns.reserveCapacity(values.count)
            newValues.reserveCapacity(values.count)
        }
        for blockRow in 0..<blockRowCount {
            let blocks = Int(rowOffsets[blockRow])..<Int(rowOffsets[blockRow + 1])
            for r in 0..<blockRows {
                // Blocks are sorted by block column, and columns increase within a block row
                // of a block, so each CSR row comes out sorted.
                for block in blocks {
                    let firstColumn = Int(columnIndices[block]) * blockColumns
                    let base = block * blockSize + r * blockColumns
                    for c in 0..<blockColumns {
                        let value = values[base + c]
                        if droppingZeros, value.doubleValue == 0 { continue }
                        newColumns.append(Int32(truncatingIfNeeded: firstColumn + c))
                        newValues.append(value)
                    }
                }
                offsets[blockRow * blockRows + r + 1] = Int32(truncatingIfNeeded: newValues.count)
            }
        }
        return CSRMatrix(unchecked: rows, columns, offsets, newColumns, newValues)
    }
}

extension CSRMatrix {
    /// The matrix in BSR form; see ``BSRMatrix/init(_:blockRows:blockColumns:padShape:)``.
    @inlinable
    public func bsr(blockRows: Int, blockColumns: Int, padShape: Bool = false) throws(SparseFormatError) -> BSRMatrix<Element> {
        try BSRMatrix(self, blockRows: blockRows, blockColumns: blockColumns, padShape: padShape)
    }
}
