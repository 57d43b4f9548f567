/// CSR whose column indices are 4-bit deltas (as MACKO-SpMV stores them), for the memory-bound
/// SpMV at n = 1: 0.5 + value bytes per stored entry (2.5 B at fp16).
///
/// Entry `i` of a row sits at column `previous + 1 + delta(i)`, where `previous` is the row's
/// last column (-1 at the row's start) and `delta(i)` the nibble `i` (low nibble of byte i / 2
/// for even i). A gap the nibble cannot span (more than 15 columns skipped) is bridged by padding
/// entries of value zero at `previous + 16`, each a nibble of 15: decoding drops them, so a
/// matrix's own explicit zeros are not kept either (they add nothing to a product). Rows start
/// at any entry (`rowOffsets`, in entries, padding included).
public struct DeltaCSRMatrix<Element: SparseElement>: CompactSparseMatrix {
    public static var formatName: String { "delta4" }
    /// The largest step one entry spans: a nibble of 15 skips 15 columns.
    public static var maximumStep: Int { 16 }

    public let rows: Int
    public let columns: Int
    /// `rows + 1` offsets into the entries (padding included).
    public let rowOffsets: [Int32]
    /// Two nibbles per byte, `ceil(entries / 2)` bytes.
    public let deltas: [UInt8]
    /// One value per entry; padding entries hold zero.
    public let values: [Element]
    public let nnz: Int

    /// Stored entries, padding included.
    public var entries: Int { values.count }
    /// Entries stored only to bridge long gaps.
    public var paddingEntries: Int { entries - nnz }
    public var storageBytes: Int { rowOffsets.count * 4 + deltas.count + entries * Element.byteWidth }

    /// The nibble of entry `i`.
    @inlinable
    public func delta(_ i: Int) -> Int { Int(i & 1 == 0 ? deltas[i >> 1] & 0xF : deltas[i >> 1] >> 4) }

    /// Validates the arrays: offsets, nibble count, and that every row's columns stay below K.
    public init(rows: Int, columns: Int, rowOffsets: [Int32], deltas: [UInt8], values: [Element]) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        try checkIndexable(values.count, "entries")
        func fail(_ detail: String) -> SparseFormatError { .invalidCompactLayout(format: Self.formatName, detail: detail) }
        guard rowOffsets.count == rows + 1 else { throw fail("\(rowOffsets.count) row offsets, expected rows + 1 = \(rows + 1)") }
        guard deltas.count == (values.count + 1) / 2 else {
            throw fail("\(deltas.count) delta bytes for \(values.count) entries, expected \((values.count + 1) / 2)")
        }
        guard rowOffsets[0] == 0, Int(rowOffsets[rows]) == values.count else {
            throw fail("row offsets run from \(rowOffsets[0]) to \(rowOffsets[rows]), expected 0 to \(values.count)")
        }
        self.rows = rows
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.deltas = deltas
        self.values = values
        var count = 0
        for row in 0..<rows {
            let start = Int(rowOffsets[row]), end = Int(rowOffsets[row + 1])
            guard start <= end else { throw fail("row offsets decrease at row \(row) (\(start) > \(end))") }
            var column = -1
            for entry in start..<end {
                column += 1 + ((entry & 1 == 0 ? Int(deltas[entry >> 1] & 0xF) : Int(deltas[entry >> 1] >> 4)))
                guard column < columns else {
                    throw fail("row \(row), entry \(entry): column \(column) is outside the \(columns) columns")
                }
                if values[entry] != .zero { count += 1 }
            }
        }
        nnz = count
    }

    public init(csr: CSRMatrix<Element>) throws(SparseFormatError) {
        var offsets = [Int32](repeating: 0, count: csr.rows + 1)
        var nibbles = [UInt8](), values = [Element]()
        nibbles.reserveCapacity(csr.nnz)
        values.reserveCapacity(csr.nnz)
        for row in 0..<csr.rows {
            var previous = -1
            for position in csr.range(ofRow: row) {
                let column = Int(csr.columnIndices[position])
                while column - previous > Self.maximumStep {
                    nibbles.append(15)
                    values.append(.zero)
                    previous += Self.maximumStep
                }
                nibbles.append(UInt8(column - previous - 1))
                values.append(csr.values[position])
                previous = column
            }
            offsets[row + 1] = Int32(values.count)
        }
        var packed = [UInt8](repeating: 0, count: (nibbles.count + 1) / 2)
        for (i, nibble) in nibbles.enumerated() { packed[i >> 1] |= i & 1 == 0 ? nibble : nibble << 4 }
        try self.init(rows: csr.rows, columns: csr.columns, rowOffsets: offsets, deltas: packed, values: values)
    }

    public func csr() -> CSRMatrix<Element> {
        var rowOffsets = [Int32](repeating: 0, count: rows + 1)
        var columnIndices = [Int32](), decoded = [Element]()
        columnIndices.reserveCapacity(nnz)
        decoded.reserveCapacity(nnz)
        for row in 0..<rows {
            var column = -1
            for entry in Int(self.rowOffsets[row])..<Int(self.rowOffsets[row + 1]) {
                column += 1 + delta(entry)
                if values[entry] != .zero {
                    columnIndices.append(Int32(column))
                    decoded.append(values[entry])
                }
            }
            rowOffsets[row + 1] = Int32(decoded.count)
        }
        return CSRMatrix(unchecked: rows, columns, rowOffsets, columnIndices, decoded)
    }
}
