/// CSR with 16-bit column indices, relative to panels of 65,536 columns: 2 + value bytes per
/// nonzero (4 B at fp16, against 6 B for 32-bit indices), the same row structure as CSR.
///
/// Columns are split into panels of ``panelWidth``; a row's entries are stored panel by panel.
/// `offsets` (`panels x rows + 1` entries, panel-major: segment `(panel, row)` starts at
/// `offsets[panel * rows + row]`) locate each row's entries in each panel; an entry's column is
/// `panel * panelWidth + columnIndices[entry]`. For K <= 65,536 there is one panel and this is
/// plain CSR with UInt16 indices.
public struct CSR16Matrix<Element: SparseElement>: CompactSparseMatrix {
    public static var formatName: String { "csr16" }
    /// Columns per panel: what a 16-bit index addresses.
    public static var panelWidth: Int { 1 << 16 }

    public let rows: Int
    public let columns: Int
    public let offsets: [Int32]
    public let columnIndices: [UInt16]
    public let values: [Element]

    /// Panels of ``panelWidth`` columns (at least 1).
    public var panels: Int { Self.panelCount(columns) }
    public var nnz: Int { values.count }
    public var storageBytes: Int { offsets.count * 4 + nnz * (2 + Element.byteWidth) }

    static func panelCount(_ columns: Int) -> Int { max(1, (columns + panelWidth - 1) / panelWidth) }

    /// Validates the arrays: offsets count, start, order and end; indices inside their panel and
    /// strictly increasing within each segment.
    public init(rows: Int, columns: Int, offsets: [Int32], columnIndices: [UInt16], values: [Element]) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        let panels = Self.panelCount(columns)
        func fail(_ detail: String) -> SparseFormatError { .invalidCompactLayout(format: Self.formatName, detail: detail) }
        guard offsets.count == panels * rows + 1 else {
            throw fail("\(offsets.count) offsets, expected panels x rows + 1 = \(panels * rows + 1)")
        }
        guard values.count == columnIndices.count else {
            throw fail("\(values.count) values for \(columnIndices.count) column indices")
        }
        guard offsets[0] == 0, Int(offsets[offsets.count - 1]) == columnIndices.count else {
            throw fail("offsets run from \(offsets[0]) to \(offsets[offsets.count - 1]), expected 0 to \(columnIndices.count)")
        }
        for segment in 0..<(panels * rows) {
            let start = Int(offsets[segment]), end = Int(offsets[segment + 1])
            guard start <= end else { throw fail("offsets decrease at segment \(segment) (\(start) > \(end))") }
            let panel = segment / rows
            let width = min(Self.panelWidth, columns - panel * Self.panelWidth)
            var previous = -1
            for entry in start..<end {
                let index = Int(columnIndices[entry])
                guard index < width else {
                    throw fail("entry \(entry) (row \(segment % rows), panel \(panel)): index \(index) is outside the panel's \(width) columns")
                }
                guard index > previous else {
                    throw fail("entry \(entry) (row \(segment % rows), panel \(panel)): index \(index) after \(previous), not increasing")
                }
                previous = index
            }
        }
        self.rows = rows
        self.columns = columns
        self.offsets = offsets
        self.columnIndices = columnIndices
        self.values = values
    }

    public init(csr: CSRMatrix<Element>) throws(SparseFormatError) {
        let panels = Self.panelCount(csr.columns)
        var offsets = [Int32](repeating: 0, count: panels * csr.rows + 1)
        var indices = [UInt16](), values = [Element]()
        indices.reserveCapacity(csr.nnz)
        values.reserveCapacity(csr.nnz)
        for panel in 0..<panels {
            let low = Int32(panel * Self.panelWidth), high = Int32(min(csr.columns, (panel + 1) * Self.panelWidth))
            for row in 0..<csr.rows {
                for position in csr.range(ofRow: row) where csr.columnIndices[position] >= low && csr.columnIndices[position] < high {
                    indices.append(UInt16(csr.columnIndices[position] - low))
                    values.append(csr.values[position])
                }
                offsets[panel * csr.rows + row + 1] = Int32(indices.count)
            }
        }
        try self.init(rows: csr.rows, columns: csr.columns, offsets: offsets, columnIndices: indices, values: values)
    }

    public func csr() -> CSRMatrix<Element> {
        var rowOffsets = [Int32](repeating: 0, count: rows + 1)
        for panel in 0..<panels {
            for row in 0..<rows { rowOffsets[row + 1] += offsets[panel * rows + row + 1] - offsets[panel * rows + row] }
        }
        for row in 0..<rows { rowOffsets[row + 1] += rowOffsets[row] }
        var next = Array(rowOffsets.dropLast())
        var columnIndices = [Int32](repeating: 0, count: nnz), decoded = [Element](repeating: .zero, count: nnz)
        // Panels in order keep each row's columns increasing.
        for panel in 0..<panels {
            for row in 0..<rows {
                for entry in Int(offsets[panel * rows + row])..<Int(offsets[panel * rows + row + 1]) {
                    let target = Int(next[row])
                    columnIndices[target] = Int32(panel * Self.panelWidth + Int(self.columnIndices[entry]))
                    decoded[target] = values[entry]
                    next[row] += 1
                }
            }
        }
        return CSRMatrix(unchecked: rows, columns, rowOffsets, columnIndices, decoded)
    }
}
