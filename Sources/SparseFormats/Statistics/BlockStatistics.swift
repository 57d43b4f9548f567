/// How a matrix's entries fall into `blockRows x blockColumns` blocks: what converting it
/// to BSR with that block (and `padShape: true`) would store.
///
/// A block is non-empty when it holds at least one stored entry (explicit zeros included),
/// which is exactly the rule of ``BSRMatrix/init(_:blockRows:blockColumns:padShape:)``
/// for CSR input. A shape not divisible by the block is counted over the padded grid.
public struct BlockStatistics: Codable, Sendable, Hashable {
    public var blockRows: Int
    public var blockColumns: Int
    /// Blocks in the (padded) grid: `ceil(rows / blockRows) * ceil(columns / blockColumns)`.
    public var totalBlocks: Int
    /// Blocks holding at least one entry (BSR's `nnzBlocks`).
    public var nonEmptyBlocks: Int
    /// Mean over non-empty blocks of `entries / (blockRows * blockColumns)`, in (0, 1];
    /// 0 when every block is empty. Equals `nnz / storedElements`.
    public var meanFill: Double
    /// Elements BSR would store, padding zeros included: `nonEmptyBlocks * blockRows * blockColumns`.
    public var storedElements: Int
    /// Entries of the source matrix.
    public var nnz: Int

    /// `nonEmptyBlocks / totalBlocks` (0 for an empty grid): the share of the dense math a kernel
    /// that multiplies every block holding an entry keeps.
    public var nonEmptyShare: Double { totalBlocks == 0 ? 0 : Double(nonEmptyBlocks) / Double(totalBlocks) }

    /// Counts blocks in O(nnz + rows + block columns). Throws for a block that is not positive.
    public init<E: SparseElement>(_ matrix: CSRMatrix<E>, blockRows: Int, blockColumns: Int) throws(SparseFormatError) {
        let (rows, columns) = try BSRMatrix<E>.blockedShape(
            rows: matrix.rows, columns: matrix.columns, blockRows: blockRows, blockColumns: blockColumns, padShape: true)
        self.blockRows = blockRows
        self.blockColumns = blockColumns
        let blockColumnCount = columns / blockColumns
        totalBlocks = (rows / blockRows) * blockColumnCount
        nnz = matrix.nnz
        // `stamp[bc] == blockRow + 1` marks block column bc as counted in this block row.
        var stamp = [Int](repeating: 0, count: blockColumnCount)
        var count = 0
        for blockRow in 0..<(rows / blockRows) {
            let firstRow = blockRow * blockRows
            for row in firstRow..<max(firstRow, min(firstRow + blockRows, matrix.rows)) {
                for position in matrix.range(ofRow: row) {
                    let bc = Int(matrix.columnIndices[position]) / blockColumns
                    if stamp[bc] != blockRow + 1 {
                        stamp[bc] = blockRow + 1
                        count += 1
                    }
                }
            }
        }
        nonEmptyBlocks = count
        storedElements = count * blockRows * blockColumns
        meanFill = storedElements == 0 ? 0 : Double(nnz) / Double(storedElements)
    }
}

extension CSRMatrix {
    /// See ``BlockStatistics``.
    public func blockStatistics(blockRows: Int, blockColumns: Int) throws(SparseFormatError) -> BlockStatistics {
        try BlockStatistics(self, blockRows: blockRows, blockColumns: blockColumns)
    }
}
