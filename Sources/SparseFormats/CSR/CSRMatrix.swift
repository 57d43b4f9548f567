/// A sparse matrix in compressed sparse row form, always valid and canonical.
///
/// Follows scipy's `csr_matrix`: `rowOffsets` (indptr, `rows + 1` entries, starting
/// at 0, non-decreasing, ending at nnz), `columnIndices` (sorted and unique within
/// each row, each below `columns`) and `values`. Every initializer that takes
/// arrays from outside validates them; readers that meet scipy's looser forms
/// (unsorted or duplicate columns) call ``canonicalizing(rows:columns:rowOffsets:columnIndices:values:)``.
public struct CSRMatrix<Element: SparseElement>: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    public let rowOffsets: [Int32]
    public let columnIndices: [Int32]
    public let values: [Element]

    /// Validates canonical CSR arrays. Non-finite values are accepted unless
    /// `requireFinite` is set (see ``nonFiniteCount``).
    public init(
        rows: Int, columns: Int, rowOffsets: [Int32], columnIndices: [Int32], values: [Element],
        requireFinite: Bool = false
    ) throws(SparseFormatError) {
        try CSRMatrix.validate(
            rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
            valueCount: values.count, canonical: true)
        if requireFinite { try CSRMatrix.checkFinite(rowOffsets: rowOffsets, columnIndices: columnIndices, values: values) }
        self.rows = rows
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }

    /// Internal initializer for arrays that are valid by construction.
    @usableFromInline
    init(unchecked rows: Int, _ columns: Int, _ rowOffsets: [Int32], _ columnIndices: [Int32], _ values: [Element]) {
        self.rows = rows
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.columnIndices = columnIndices
        self.values = values
    }

    /// An empty (all-zero) matrix.
    public init(zeros rows: Int, _ columns: Int) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        self.init(unchecked: rows, columns, Array(repeating: 0, count: rows + 1), [], [])
    }

    /// Number of stored entries.
    public var nnz: Int { values.count }
    public var shape: [Int] { [rows, columns] }
    /// Fraction of entries not stored, in [0, 1]; 0 for an empty shape.
    public var sparsity: Double {
        let total = Double(rows) * Double(columns)
        return total == 0 ? 0 : 1 - Double(nnz) / total
    }

    /// The half-open range of storage positions of `row`.
    @inlinable
    public func range(ofRow row: Int) -> Range<Int> {
        Int(rowOffsets[row])..<Int(rowOffsets[row + 1])
    }

    /// How many stored values are NaN or infinite.
    public var nonFiniteCount: Int { values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) } }
}

extension CSRMatrix {
    /// Checks CSR structure; `canonical` additionally requires strictly increasing columns per row.
    static func validate(
        rows: Int, columns: Int, rowOffsets: [Int32], columnIndices: [Int32], valueCount: Int,
        canonical: Bool
    ) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        try checkIndexable(columnIndices.count, "nnz")
        guard rowOffsets.count == rows + 1 else {
            throw .rowOffsetsCount(expected: rows + 1, actual: rowOffsets.count)
        }
        guard valueCount == columnIndices.count else {
            throw .valueCount(expected: columnIndices.count, actual: valueCount)
        }
        guard rowOffsets[0] == 0 else { throw .rowOffsetsStart(value: Int(rowOffsets[0])) }
        let nnz = columnIndices.count
        for row in 0..<rows where rowOffsets[row + 1] < rowOffsets[row] {
            throw .rowOffsetsDecreasing(row: row, start: Int(rowOffsets[row]), end: Int(rowOffsets[row + 1]))
        }
        guard Int(rowOffsets[rows]) == nnz else { throw .rowOffsetsEnd(value: Int(rowOffsets[rows]), nnz: nnz) }
        for row in 0..<rows {
            let start = Int(rowOffsets[row]), end = Int(rowOffsets[row + 1])
            var previous: Int32 = -1
            for position in start..<end {
                let column = columnIndices[position]
                guard column >= 0, Int(column) < columns else {
                    throw .columnOutOfRange(row: row, position: position, column: Int(column), columns: columns)
                }
                if canonical {
                    if column == previous {
                        throw .duplicateColumn(row: row, position: position, column: Int(column))
                    }
                    if column < previous {
                        throw .unsortedColumns(row: row, position: position, previous: Int(previous), column: Int(column))
                    }
                }
                previous = column
            }
        }
    }

    static func checkFinite(rowOffsets: [Int32], columnIndices: [Int32], values: [Element]) throws(SparseFormatError) {
        guard let position = values.firstIndex(where: { !$0.isFinite }) else { return }
        // Find the row by binary search over the offsets.
        var low = 0, high = rowOffsets.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if Int(rowOffsets[mid]) <= position { low = mid } else { high = mid }
        }
        throw .nonFiniteValue(row: low, column: Int(columnIndices[position]), value: values[position].doubleValue)
    }

    /// Throws ``SparseFormatError/nonFiniteValue(row:column:value:)`` for the first NaN or infinity.
    public func requireFinite() throws(SparseFormatError) {
        try CSRMatrix.checkFinite(rowOffsets: rowOffsets, columnIndices: columnIndices, values: values)
    }
}
