/// A defect in a sparse or dense matrix handed to Sparrow, naming what is wrong and where.
///
/// These are user errors (bad input), never internal bugs: broken internal
/// invariants trap instead.
public enum SparseFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A size is negative.
    case negativeDimension(name: String, value: Int)
    /// A size or count does not fit the Int32 indices Sparrow uses.
    case dimensionTooLarge(name: String, value: Int, limit: Int)
    /// `rowOffsets` must hold `rows + 1` entries.
    case rowOffsetsCount(expected: Int, actual: Int)
    /// `rowOffsets[0]` must be 0.
    case rowOffsetsStart(value: Int)
    /// `rowOffsets` must not decrease.
    case rowOffsetsDecreasing(row: Int, start: Int, end: Int)
    /// `rowOffsets[rows]` must equal the number of stored entries.
    case rowOffsetsEnd(value: Int, nnz: Int)
    /// A column (or block-column) index is negative or not below the column count.
    case columnOutOfRange(row: Int, position: Int, column: Int, columns: Int)
    /// Columns within a row must increase strictly in canonical form.
    case unsortedColumns(row: Int, position: Int, previous: Int, column: Int)
    /// The same column appears twice in a row in canonical form.
    case duplicateColumn(row: Int, position: Int, column: Int)
    /// `values` (or `columnIndices`) has the wrong length.
    case valueCount(expected: Int, actual: Int)
    /// A value is NaN or infinite where finite values were required.
    case nonFiniteValue(row: Int, column: Int, value: Double)
    /// A BSR matrix's shape is not divisible by its block shape.
    case shapeNotDivisibleByBlock(rows: Int, columns: Int, blockRows: Int, blockColumns: Int)
    /// A block size is not positive.
    case invalidBlockShape(blockRows: Int, blockColumns: Int)
    /// Dense storage does not match `rows * columns`.
    case denseSizeMismatch(rows: Int, columns: Int, count: Int)
    /// Operand shapes do not agree for a product.
    case shapeMismatch(operation: String, left: [Int], right: [Int])
    /// A COO triple's row index is out of range.
    case rowOutOfRange(position: Int, row: Int, rows: Int)
    /// A pruning request that cannot be met.
    case invalidPruning(String)
    /// A compact format's arrays contradict each other or the shape (``CSR16Matrix``,
    /// ``DeltaCSRMatrix``, ``BitmapTiledMatrix``): which format, and what is wrong where.
    case invalidCompactLayout(format: String, detail: String)

    public var description: String {
        switch self {
        case let .negativeDimension(name, value):
            "\(name) is negative (\(value))"
        case let .dimensionTooLarge(name, value, limit):
            "\(name) = \(value) exceeds the Int32 index limit \(limit)"
        case let .rowOffsetsCount(expected, actual):
            "row offsets (indptr) has \(actual) entries, expected rows + 1 = \(expected)"
        case let .rowOffsetsStart(value):
            "row offsets (indptr) must start at 0, found \(value)"
        case let .rowOffsetsDecreasing(row, start, end):
            "row offsets (indptr) decrease at row \(row): \(start) then \(end)"
        case let .rowOffsetsEnd(value, nnz):
            "row offsets (indptr) end at \(value) but there are \(nnz) stored entries"
        case let .columnOutOfRange(row, position, column, columns):
            "column index \(column) at position \(position) (row \(row)) is out of range 0..<\(columns)"
        case let .unsortedColumns(row, position, previous, column):
            "columns of row \(row) are not sorted at position \(position): \(previous) then \(column)"
        case let .duplicateColumn(row, position, column):
            "row \(row) holds column \(column) twice (position \(position))"
        case let .valueCount(expected, actual):
            "found \(actual) values, expected \(expected)"
        case let .nonFiniteValue(row, column, value):
            "non-finite value \(value) at row \(row), column \(column)"
        case let .shapeNotDivisibleByBlock(rows, columns, blockRows, blockColumns):
            "shape \(rows)x\(columns) is not divisible by the block \(blockRows)x\(blockColumns)"
        case let .invalidBlockShape(blockRows, blockColumns):
            "block shape \(blockRows)x\(blockColumns) must be positive"
        case let .denseSizeMismatch(rows, columns, count):
            "dense storage holds \(count) elements, expected \(rows)x\(columns) = \(rows * columns)"
        case let .shapeMismatch(operation, left, right):
            "\(operation): shapes \(left) and \(right) do not agree"
        case let .rowOutOfRange(position, row, rows):
            "row index \(row) at position \(position) is out of range 0..<\(rows)"
        case let .invalidPruning(reason):
            "cannot prune: \(reason)"
        case let .invalidCompactLayout(format, detail):
            "invalid \(format) matrix: \(detail)"
        }
    }
}

/// Checks that a size fits Sparrow's Int32 indexing.
@inlinable
func checkIndexable(_ value: Int, _ name: String) throws(SparseFormatError) {
    guard value >= 0 else { throw .negativeDimension(name: name, value: value) }
    guard value <= Int(Int32.max) else {
        throw .dimensionTooLarge(name: name, value: value, limit: Int(Int32.max))
    }
}
