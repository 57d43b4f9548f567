/// 2:4 structured storage for the sparse tensor cores (`mma.sp`): every run of 4 consecutive
/// columns of a row (from column 0) keeps at most 2 entries, so W is stored as half its values
/// plus a 2-bit column index per kept value. At fp16 that is 1 + 0.125 B per weight (against 2 for
/// dense and 1.19 for the bitmap format at the same 0.5 density), the same bytes as cuSPARSELt's
/// compressed form.
///
/// Layout, chosen so that a warp loads one `mma.sp.m16n8k32` A operand with one 16-byte load a lane
/// and its metadata with one 4-byte load, and the hardware does the decode:
///
/// - W is cut into tiles of 16 rows x 32 columns (rows padded to 16, columns to 32, with zeros),
///   stored strip by strip (16 rows), left to right: tile `t = strip x tilesPerStrip + kt`.
/// - Each tile's 16 x 16 kept values (two per 4-column chunk, 8 chunks a row) are in the order of
///   the A fragment: value `256 t + 8 l + 2 r + h` is lane l's register r, half h, where for
///   `g = l / 4`, `q = l % 4`: register 0 holds row g, chunk q; 1 row g + 8, chunk q; 2 row g,
///   chunk q + 4; 3 row g + 8, chunk q + 4; half 0 the chunk's entry at the lower column.
/// - Each tile's metadata is 16 words: word `16 t + 2 g + s` holds, in bits `4 c ..< 4 c + 4`, the
///   chunk `4 s + c` of row g, and in bits `16 + 4 c ..< 20 + 4 c` the same chunk of row g + 8
///   (c = 0 ..< 4); a chunk's nibble is `i0 | i1 << 2`, the two kept columns' offsets in the chunk
///   with `i0 < i1` (the ordered metadata of `mma.sp::ordered_metadata`). Lane l of a warp loads
///   word `2 g + (q & 1)`: with sparsity selector 0 the hardware reads lanes q = 0 (chunks 0-3)
///   and q = 1 (chunks 4-7) of each group of four.
/// - A chunk with fewer than 2 entries pads with zero values at the lowest free offsets, so the
///   format holds no pattern beyond its values: ``csr()`` returns the nonzero values, and an
///   explicitly stored zero does not survive the round trip (nor count in ``nnz``).
public struct TwoFourMatrix<Element: SparseElement>: CompactSparseMatrix {
    public static var formatName: String { "2:4" }
    /// Rows of a tile (one mma.sp A operand).
    public static var tileRows: Int { 16 }
    /// Columns of a tile: mma.sp m16n8k32's K.
    public static var tileColumns: Int { 32 }
    /// Values a tile stores: half of its 16 x 32 weights.
    public static var valuesPerTile: Int { 256 }
    /// Metadata words a tile stores.
    public static var wordsPerTile: Int { 16 }

    /// 16-row strips of a `rows`-row matrix.
    public static func strips(rows: Int) -> Int { (rows + tileRows - 1) / tileRows }
    /// 32-column tiles per strip of a `columns`-column matrix.
    public static func tilesPerStrip(columns: Int) -> Int { (columns + tileColumns - 1) / tileColumns }
    /// Tiles of a `rows x columns` matrix.
    public static func tileCount(rows: Int, columns: Int) -> Int { strips(rows: rows) * tilesPerStrip(columns: columns) }

    /// Where value `slot` (0 ..< 256) of a tile lies: tile row, 4-column chunk (0 ..< 8) and
    /// whether it is the chunk's second kept entry.
    public static func slotPosition(_ slot: Int) -> (row: Int, chunk: Int, second: Bool) {
        let lane = slot / 8, register = (slot % 8) / 2
        let g = lane / 4, q = lane % 4
        return (g + 8 * (register % 2), q + 4 * (register / 2), slot % 2 == 1)
    }

    /// The slot of a tile holding the first kept entry of chunk `chunk` of tile row `row`.
    public static func firstSlot(row: Int, chunk: Int) -> Int {
        let lane = 4 * (row % 8) + chunk % 4
        let register = row / 8 + 2 * (chunk / 4)
        return 8 * lane + 2 * register
    }

    /// The metadata word of a tile and the bit offset of the nibble for chunk `chunk` of tile row `row`.
    public static func nibblePosition(row: Int, chunk: Int) -> (word: Int, shift: Int) {
        (2 * (row % 8) + chunk / 4, 16 * (row / 8) + 4 * (chunk % 4))
    }

    public let rows: Int
    public let columns: Int
    /// Kept values, ``valuesPerTile`` a tile in fragment order (zeros where a chunk pads).
    public let values: [Element]
    /// Column offsets of the kept values, ``wordsPerTile`` words a tile.
    public let metadata: [UInt32]
    public let nnz: Int

    public var storageBytes: Int { values.count * Element.byteWidth + metadata.count * 4 }

    /// Validates: array sizes, every nibble's two offsets distinct and increasing, and no nonzero
    /// value outside the `rows x columns` matrix.
    public init(rows: Int, columns: Int, values: [Element], metadata: [UInt32]) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        func fail(_ detail: String) -> SparseFormatError { .invalidCompactLayout(format: Self.formatName, detail: detail) }
        let tiles = Self.tileCount(rows: rows, columns: columns)
        guard values.count == tiles * Self.valuesPerTile else {
            throw fail("\(values.count) values, expected 256 x \(tiles) tiles (16 x 32 each) = \(tiles * Self.valuesPerTile)")
        }
        guard metadata.count == tiles * Self.wordsPerTile else {
            throw fail("\(metadata.count) metadata words, expected 16 x \(tiles) tiles = \(tiles * Self.wordsPerTile)")
        }
        let perStrip = Self.tilesPerStrip(columns: columns)
        var count = 0
        for tile in 0..<tiles {
            for word in 0..<Self.wordsPerTile {
                let bits = metadata[tile * Self.wordsPerTile + word]
                for nibble in 0..<8 {
                    let i0 = (bits >> UInt32(4 * nibble)) & 3, i1 = (bits >> UInt32(4 * nibble + 2)) & 3
                    guard i0 < i1 else {
                        throw fail("tile \(tile), metadata word \(word), nibble \(nibble): offsets \(i0), \(i1) are not increasing")
                    }
                }
            }
            for slot in 0..<Self.valuesPerTile {
                let value = values[tile * Self.valuesPerTile + slot]
                guard value.doubleValue != 0 else { continue }
                let (row, column) = Self.position(tile: tile, slot: slot, perStrip: perStrip, metadata: metadata)
                guard row < rows, column < columns else {
                    throw fail("tile \(tile), slot \(slot) holds a nonzero at row \(row), column \(column), outside the \(rows) x \(columns) matrix")
                }
                count += 1
            }
        }
        self.rows = rows
        self.columns = columns
        self.values = values
        self.metadata = metadata
        self.nnz = count
    }

    /// The matrix row and column of value `slot` of `tile`.
    static func position(tile: Int, slot: Int, perStrip: Int, metadata: [UInt32]) -> (row: Int, column: Int) {
        let (row, chunk, second) = slotPosition(slot)
        let (word, shift) = nibblePosition(row: row, chunk: chunk)
        let nibble = metadata[tile * wordsPerTile + word] >> UInt32(shift)
        let offset = Int(second ? (nibble >> 2) & 3 : nibble & 3)
        let strip = tile / max(1, perStrip), kt = tile % max(1, perStrip)
        return (strip * tileRows + row, kt * tileColumns + chunk * 4 + offset)
    }

    /// Encodes canonical CSR; throws, naming the first row and columns, when a run of 4 columns
    /// holds more than 2 entries.
    public init(csr: CSRMatrix<Element>) throws(SparseFormatError) {
        let perStrip = Self.tilesPerStrip(columns: csr.columns)
        let tiles = Self.tileCount(rows: csr.rows, columns: csr.columns)
        var values = [Element](repeating: .zero, count: tiles * Self.valuesPerTile)
        // Every nibble starts as offsets 0, 1 (0b0100): a chunk with no entry multiplies two zeros.
        var metadata = [UInt32](repeating: 0x4444_4444, count: tiles * Self.wordsPerTile)
        for row in 0..<csr.rows {
            let range = csr.range(ofRow: row)
            var position = range.lowerBound
            while position < range.upperBound {
                let group = Int(csr.columnIndices[position]) / 4
                var end = position
                while end < range.upperBound && Int(csr.columnIndices[end]) / 4 == group { end += 1 }
                guard end - position <= 2 else {
                    // The last run of a row may be shorter than 4: name only columns the matrix has.
                    let last = min(4 * group + 3, csr.columns - 1)
                    let held = (position..<end).map { String(csr.columnIndices[$0]) }.joined(separator: ", ")
                    throw .invalidCompactLayout(
                        format: Self.formatName,
                        detail: "row \(row) holds \(end - position) entries in columns \(4 * group)-\(last) (\(held)): "
                            + "2:4 keeps at most 2 of every 4 consecutive columns (prune with --pattern 2:4)")
                }
                var offsets = (position..<end).map { Int(csr.columnIndices[$0]) % 4 }
                var kept = (position..<end).map { csr.values[$0] }
                // Pad to two entries at the lowest free offsets (zeros), keeping offsets increasing.
                while offsets.count < 2 {
                    let free = (0..<4).first { !offsets.contains($0) } ?? 0
                    let at = offsets.firstIndex { $0 > free } ?? offsets.count
                    offsets.insert(free, at: at)
                    kept.insert(.zero, at: at)
                }
                let tile = (row / Self.tileRows) * perStrip + group / 8
                let (tileRow, chunk) = (row % Self.tileRows, group % 8)
                let slot = tile * Self.valuesPerTile + Self.firstSlot(row: tileRow, chunk: chunk)
                values[slot] = kept[0]
                values[slot + 1] = kept[1]
                let (word, shift) = Self.nibblePosition(row: tileRow, chunk: chunk)
                let index = tile * Self.wordsPerTile + word
                metadata[index] &= ~(UInt32(0xF) << UInt32(shift))
                metadata[index] |= UInt32(offsets[0] | offsets[1] << 2) << UInt32(shift)
                position = end
            }
        }
        try self.init(rows: csr.rows, columns: csr.columns, values: values, metadata: metadata)
    }

    /// Decodes to canonical CSR: the nonzero values (padding zeros, and stored zeros, dropped).
    public func csr() -> CSRMatrix<Element> {
        let perStrip = Self.tilesPerStrip(columns: columns)
        var perRow = [[(column: Int32, value: Element)]](repeating: [], count: rows)
        for tile in 0..<Self.tileCount(rows: rows, columns: columns) {
            for slot in 0..<Self.valuesPerTile {
                let value = values[tile * Self.valuesPerTile + slot]
                guard value.doubleValue != 0 else { continue }
                let (row, column) = Self.position(tile: tile, slot: slot, perStrip: perStrip, metadata: metadata)
                perRow[row].append((Int32(column), value))
            }
        }
        return .assembling(rows: rows, columns: columns, perRow: perRow)
    }
}
