import SparseFormats

/// What a learned cost model knows about a sparse weight's pattern beyond its shape: how the
/// stored entries spread over rows and columns. The one definition, used when trials are
/// recorded (the tuning database keeps it beside each trial, so an export alone trains a
/// model) and when candidates are ranked.
package struct PatternStatistics: Sendable, Hashable, Codable {
    /// Rows of W (N).
    package var rows: Int
    /// Columns of W (K).
    package var columns: Int
    /// Stored entries.
    package var nnz: Int
    /// Most entries in one row.
    package var maxRowLength: Int
    /// Population standard deviation of the entries per row.
    package var rowLengthStd: Double
    /// Rows with no entry.
    package var emptyRows: Int
    /// Population standard deviation of the entries per column.
    package var columnLengthStd: Double

    package init(
        rows: Int, columns: Int, nnz: Int, maxRowLength: Int, rowLengthStd: Double, emptyRows: Int,
        columnLengthStd: Double
    ) {
        self.rows = rows
        self.columns = columns
        self.nnz = nnz
        self.maxRowLength = maxRowLength
        self.rowLengthStd = rowLengthStd
        self.emptyRows = emptyRows
        self.columnLengthStd = columnLengthStd
    }

    /// The statistics of `matrix`'s pattern (values are not read), in O(nnz + rows + columns).
    package init<E: SparseElement>(_ matrix: CSRMatrix<E>) {
        self.init(RowStatistics(matrix))
    }

    /// The statistics SparseFormats computed (``RowStatistics``, DLMC's definitions).
    package init(_ statistics: RowStatistics) {
        self.init(
            rows: statistics.rows, columns: statistics.columns, nnz: statistics.nnz,
            maxRowLength: statistics.maxPerRow, rowLengthStd: statistics.stdPerRow, emptyRows: statistics.emptyRows,
            columnLengthStd: statistics.stdPerColumn)
    }

    /// Mean entries per row (0 without rows).
    package var meanRowLength: Double { rows > 0 ? Double(nnz) / Double(rows) : 0 }

    /// Standard deviation over mean of the entries per row (0 for an empty matrix).
    package var rowLengthCV: Double { meanRowLength > 0 ? rowLengthStd / meanRowLength : 0 }

    /// Standard deviation over mean of the entries per column (0 for an empty matrix).
    package var columnLengthCV: Double {
        let mean = columns > 0 ? Double(nnz) / Double(columns) : 0
        return mean > 0 ? columnLengthStd / mean : 0
    }

    /// Fraction of the matrix stored.
    package var density: Double {
        rows > 0 && columns > 0 ? Double(nnz) / (Double(rows) * Double(columns)) : 0
    }

    /// Whether these statistics can describe a problem of this shape (`rows x columns`, `nnz`
    /// stored, longest row `maxRowLength`): a model given another matrix's statistics would
    /// rank with the wrong features.
    package func describes(rows: Int, columns: Int, nnz: Int, maxRowLength: Int) -> Bool {
        self.rows == rows && self.columns == columns && self.nnz == nnz && self.maxRowLength == maxRowLength
    }
}
