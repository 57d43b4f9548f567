import Tuner

/// What a trial row records about its problem beyond its key (schema v2, and v3's fullest block):
/// where the matrix came from and its pattern's statistics, so an export alone is enough to train
/// a cost model and rebuild the problem. Not part of the key: recording a trial again with other
/// details replaces the row. Every field is nil in rows written before v2 (``maxBlockEntries``
/// before v3), and the source when the caller did not name one.
package struct ProblemDetails: Sendable, Hashable {
    /// Where the matrix came from (`dlmc/rn50/magnitude_pruning/0.9/layer.smtx`, or
    /// `model.safetensors#layer.weight`), for splitting training data by matrix family.
    package var source: String?
    /// Most entries in one row of W.
    package var maxRowLength: Int?
    /// Population standard deviation of the entries per row.
    package var rowLengthStd: Double?
    /// Rows without entries.
    package var emptyRows: Int?
    /// Population standard deviation of the entries per column.
    package var columnLengthStd: Double?
    /// Most entries in one 16 x 16 block of W (schema v3; ``SpMMProblem/maxBlockEntries``).
    package var maxBlockEntries: Int?

    package init(
        source: String? = nil, maxRowLength: Int? = nil, rowLengthStd: Double? = nil, emptyRows: Int? = nil,
        columnLengthStd: Double? = nil, maxBlockEntries: Int? = nil
    ) {
        self.source = source
        self.maxRowLength = maxRowLength
        self.rowLengthStd = rowLengthStd
        self.emptyRows = emptyRows
        self.columnLengthStd = columnLengthStd
        self.maxBlockEntries = maxBlockEntries
    }

    /// The details of a matrix from `source` whose pattern has `statistics`.
    package init(source: String?, pattern statistics: PatternStatistics?) {
        self.init(
            source: source, maxRowLength: statistics?.maxRowLength, rowLengthStd: statistics?.rowLengthStd,
            emptyRows: statistics?.emptyRows, columnLengthStd: statistics?.columnLengthStd)
    }

    /// The pattern's statistics for the problem `key`, or nil when the row does not hold them
    /// all (a v1 row).
    package func pattern(of key: ProblemKey) -> PatternStatistics? {
        guard let maxRowLength, let rowLengthStd, let emptyRows, let columnLengthStd else { return nil }
        return PatternStatistics(
            rows: key.matrixRows, columns: key.matrixColumns, nnz: key.nnz, maxRowLength: maxRowLength,
            rowLengthStd: rowLengthStd, emptyRows: emptyRows, columnLengthStd: columnLengthStd)
    }
}

extension ProblemDetails: Codable {
    // Synthesised: a nil field is left out of an export line (and written as NULL in a row), and
    // a missing key (a version 1 export line) reads as nil.
    /// The database's column names (a ``StoredTrial`` encodes its details flat).
    enum CodingKeys: String, CodingKey {
        case source
        case maxRowLength = "max_row_length"
        case rowLengthStd = "row_length_std"
        case emptyRows = "empty_rows"
        case columnLengthStd = "column_length_std"
        case maxBlockEntries = "max_block_entries"
    }
}
