/// A block sparse row matrix with `blockRows x blockColumns` dense blocks, as scipy's `bsr_matrix`.
///
/// `rowOffsets` (indptr) and `columnIndices` (indices) run over block rows and block
/// columns; `values` holds `nnzBlocks * blockRows * blockColumns` elements, each
/// block row-major (scipy's `data` of shape `(nnzBlocks, R, C)`). The shape must be
/// divisible by the block shape. Always valid and canonical (block columns sorted
/// and unique within a block row). Blocks may contain explicit zeros.
public struct BSRMatrix<Element: SparseElement>: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    public let blockRows: Int
    public let blockColumns: Int
    public let rowOffsets: [Int32]
    public let columnIndices: [Int32]
    public let values: [Element]

    public init(
        rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
        rowOffsets: [Int32], columnIndices: [Int32], values: [Element],
        requireFinite: Bool = false
    ) throws(SparseFormatError) {
        try BSRMatrix.validate(
            rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns,
            rowOffsets: rowOffsets, columnIndices: columnIndices, valueCount: values.count, canonical: true)
        self.init(unchecked: rows, columns, blockRows, blockColumns, rowOffsets, columnIndices, values)
        if requireFinite { try requireFiniteValues() }
    }

    @usableFromInline
    init(
        unchecked rows: Int, _ columns: Int, _ blockRows: Int, _ blockColumns: Int,
        _ rowOffsets: [Int32], _ columnIndices: [Int32], _ values: [Element]
    ) {
        self.rows = rows
        self.columns = columns
        self.blockRows = blockRows
        self.blockColumns = blockColumns
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }

    public var blockRowCount: Int { rows / blockRows }
    public var blockColumnCount: Int { columns / blockColumns }
    public var blockSize: Int { blockRows * blockColumns }
    /// Number of stored blocks.
    public var nnzBlocks: Int { columnIndices.count }
    /// Number of stored elements, explicit zeros inside blocks included (scipy's `nnz`).
    public var storedCount: Int { values.count }
    public var shape: [Int] { [rows, columns] }
    /// Number of stored elements that are not zero.
    public var nonzeroCount: Int { values.reduce(0) { $0 + ($1.doubleValue != 0 ? 1 : 0) } }

    static func validate(
        rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
        rowOffsets: [Int32], columnIndices: [Int32], valueCount: Int, canonical: Bool
    ) throws(SparseFormatError) {
        guard blockRows > 0, blockColumns > 0 else {
            throw .invalidBlockShape(blockRows: blockRows, blockColumns: blockColumns)
        }
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        // Bounding the block sides keeps `blockRows * blockColumns` from overflowing when
        // a side is 0 (every block divides an empty side).
        try checkIndexable(blockRows, "block rows")
        try checkIndexable(blockColumns, "block columns")
        guard rows % blockRows == 0, columns % blockColumns == 0 else {
            throw .shapeNotDivisibleByBlock(rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns)
        }
        let blockSize = blockRows * blockColumns
        let (expectedValues, overflow) = columnIndices.count.multipliedReportingOverflow(by: blockSize)
        guard !overflow else { throw .dimensionTooLarge(name: "stored elements", value: Int.max, limit: Int(Int32.max)) }
        try checkIndexable(expectedValues, "stored elements")
        guard valueCount == expectedValues else { throw .valueCount(expected: expectedValues, actual: valueCount) }
        // The block structure is a CSR pattern over block rows and block columns.
        try CSRMatrix<Float>.validate(
            rows: rows / blockRows, columns: columns / blockColumns, rowOffsets: rowOffsets,
            columnIndices: columnIndices, valueCount: columnIndices.count, canonical: canonical)
    }

    /// Throws for the first NaN or infinity, naming its element row and column.
    public func requireFiniteValues() throws(SparseFormatError) {
        guard let position = values.firstIndex(where: { !$0.isFinite }) else { return }
        let block = position / blockSize, within = position % blockSize
        var blockRow = 0
        while Int(rowOffsets[blockRow + 1]) <= block { blockRow += 1 }
        throw .nonFiniteValue(
            row: blockRow * blockRows + within / blockColumns,
            column: Int(columnIndices[block]) * blockColumns + within % blockColumns,
            value: values[position].doubleValue)
    }
}
