/// How stored entries spread over rows (and columns), as DLMC's `dlmc.csv` reports them.
///
/// Definitions match `dlmc.csv` (checked against its 270 ResNet-50 rows): counts are of
/// stored entries (explicit zeros included), `meanPerRow = nnz / rows`, and the standard
/// deviations are population ones (divide by `rows`, NumPy's `std` with `ddof = 0`).
/// `sparsity = 1 - nnz / (rows * columns)`. An empty dimension gives zeros throughout.
/// `dlmc.csv` rounds its numbers to Float32; these are Float64.
public struct RowStatistics: Codable, Sendable, Hashable {
    public var rows: Int
    public var columns: Int
    public var nnz: Int
    /// Fewest entries in a row (0 when there are no rows).
    public var minPerRow: Int
    /// Most entries in a row (0 when there are no rows).
    public var maxPerRow: Int
    public var meanPerRow: Double
    /// Population standard deviation of the entries per row.
    public var stdPerRow: Double
    /// Rows with no entry.
    public var emptyRows: Int
    public var meanPerColumn: Double
    /// Population standard deviation of the entries per column.
    public var stdPerColumn: Double
    public var sparsity: Double

    /// Statistics of a matrix's pattern, in O(nnz + rows + columns).
    public init<E: SparseElement>(_ matrix: CSRMatrix<E>) {
        rows = matrix.rows
        columns = matrix.columns
        nnz = matrix.nnz
        sparsity = matrix.sparsity
        var perRow = [Int](repeating: 0, count: matrix.rows)
        for row in 0..<matrix.rows { perRow[row] = Int(matrix.rowOffsets[row + 1] - matrix.rowOffsets[row]) }
        var perColumn = [Int](repeating: 0, count: matrix.columns)
        for column in matrix.columnIndices { perColumn[Int(column)] += 1 }
        minPerRow = perRow.min() ?? 0
        maxPerRow = perRow.max() ?? 0
        emptyRows = perRow.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        (meanPerRow, stdPerRow) = RowStatistics.meanAndPopulationStd(perRow)
        (meanPerColumn, stdPerColumn) = RowStatistics.meanAndPopulationStd(perColumn)
    }

    /// Two passes (mean, then squared deviations) for accuracy; (0, 0) for no counts.
    static func meanAndPopulationStd(_ counts: [Int]) -> (Double, Double) {
        guard !counts.isEmpty else { return (0, 0) }
        let n = Double(counts.count)
        let mean = Double(counts.reduce(0, +)) / n
        var squares = 0.0
        for count in counts {
            let d = Double(count) - mean
            squares += d * d
        }
        return (mean, (squares / n).squareRoot())
    }
}

extension CSRMatrix {
    /// See ``RowStatistics``.
    public var rowStatistics: RowStatistics { RowStatistics(self) }
}
