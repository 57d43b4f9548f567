/// Bitmap-tiled storage for tensor-core kernels ("load as sparse, compute as dense", as SpInfer
/// and Flash-LLM do): W cut into 8 x 8 tiles, each a 64-bit mask of its nonzeros (bit `r * 8 + c`
/// for tile row r, tile column c) and its nonzero values packed in bit order. 1 bit per weight
/// plus the values plus one 32-bit value offset per tile: at fp16, 2 x density + 0.19 B per weight
/// (0.39 B per weight at 0.9 sparsity, 1.19 at 0.5, against 0.6 / 3 for CSR32 and 2 for dense).
///
/// Why 8 x 8: one tile's mask is one 64-bit register word, and in mma.sync m16n8k16's A fragment
/// (16 x 16) lane l holds, of each of its four 8 x 8 quarters, exactly bits `2 l` and `2 l + 1`:
/// a lane expands its fragment from four masks with one popcount prefix each
/// (`KernelGen/SpMM/Bitmap/`). Larger tiles need several mask words per lane; smaller ones more
/// offsets per weight. The first H200 measurement (docs/perf/2026-11-30-h200-llm-bitmap) found that
/// kernel bound by its per-block expansion, not by these bytes, so the tile shape is not yet what
/// limits it; per-16 x 16-block offsets (0.016 instead of 0.0625 B per weight) would save 4% of the
/// bytes at 0.5 sparsity once it is.
///
/// Tile order (chosen for that kernel, which streams each 16-row strip's tiles as one contiguous
/// range): the tile grid is padded to whole 16 x 16 blocks (`ceil(N / 16) x ceil(K / 16)`), blocks
/// are stored strip by strip (16 rows), left to right within a strip, and each block's four tiles
/// adjacent in the order of the A fragment's registers: (rows 0-7, columns 0-7), (rows 8-15,
/// columns 0-7), (rows 0-7, columns 8-15), (rows 8-15, columns 8-15). So a strip's masks are one
/// contiguous run of `4 x ceil(K / 16)` words and its values one contiguous run.
/// `tileOffsets` (tiles + 1 entries) is the prefix sum of the masks' popcounts in that order.
/// Mask bits outside the matrix (edge and padding tiles) must be 0.
public struct BitmapTiledMatrix<Element: SparseElement>: CompactSparseMatrix {
    public static var formatName: String { "bitmap8x8" }
    /// Tile side.
    public static var tile: Int { 8 }
    /// Block side: four tiles, one mma.sync A fragment.
    public static var block: Int { 16 }

    /// 16-row strips of a `rows`-row matrix.
    public static func strips(rows: Int) -> Int { (rows + block - 1) / block }
    /// 16-column blocks per strip of a `columns`-column matrix.
    public static func blocksPerStrip(columns: Int) -> Int { (columns + block - 1) / block }
    /// Tiles (masks) of a `rows x columns` matrix: four per 16 x 16 block.
    public static func tileCount(rows: Int, columns: Int) -> Int { 4 * strips(rows: rows) * blocksPerStrip(columns: columns) }

    /// Where tile `index` lies: its tile row and tile column in the 8 x 8 grid.
    public static func tilePosition(_ index: Int, columns: Int) -> (tileRow: Int, tileColumn: Int) {
        let blocks = max(1, blocksPerStrip(columns: columns))
        let block = index / 4, quarter = index % 4
        return (2 * (block / blocks) + quarter % 2, 2 * (block % blocks) + quarter / 2)
    }

    /// The index of the tile at tile row `tileRow`, tile column `tileColumn`.
    public static func tileIndex(tileRow: Int, tileColumn: Int, columns: Int) -> Int {
        let block = (tileRow / 2) * blocksPerStrip(columns: columns) + tileColumn / 2
        return block * 4 + (tileRow % 2) + 2 * (tileColumn % 2)
    }

    public let rows: Int
    public let columns: Int
    public let masks: [UInt64]
    public let tileOffsets: [Int32]
    public let values: [Element]

    public var nnz: Int { values.count }
    public var storageBytes: Int { masks.count * 8 + tileOffsets.count * 4 + nnz * Element.byteWidth }

    /// Validates: mask count, no bit outside the matrix, offsets equal to the popcount prefix.
    public init(rows: Int, columns: Int, masks: [UInt64], tileOffsets: [Int32], values: [Element]) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        func fail(_ detail: String) -> SparseFormatError { .invalidCompactLayout(format: Self.formatName, detail: detail) }
        let t = Self.tile
        let expectedTiles = Self.tileCount(rows: rows, columns: columns)
        guard masks.count == expectedTiles else {
            throw fail("\(masks.count) tile masks, expected 4 x \(Self.strips(rows: rows)) strips x \(Self.blocksPerStrip(columns: columns)) blocks = \(expectedTiles)")
        }
        guard tileOffsets.count == masks.count + 1, tileOffsets.first == 0 else {
            throw fail("\(tileOffsets.count) tile offsets starting at \(tileOffsets.first.map(String.init) ?? "none"), expected \(masks.count + 1) starting at 0")
        }
        for (tile, mask) in masks.enumerated() {
            let (tileRow, tileColumn) = Self.tilePosition(tile, columns: columns)
            let inside = Self.insideMask(height: min(t, rows - tileRow * t), width: min(t, columns - tileColumn * t))
            guard mask & ~inside == 0 else {
                throw fail("tile \(tile) (tile row \(tileRow), tile column \(tileColumn)) marks entries outside the \(rows) x \(columns) matrix")
            }
            let expected = Int(tileOffsets[tile]) + mask.nonzeroBitCount
            guard Int(tileOffsets[tile + 1]) == expected else {
                throw fail("tile offset \(tile + 1) is \(tileOffsets[tile + 1]), the masks' popcounts give \(expected)")
            }
        }
        guard Int(tileOffsets[masks.count]) == values.count else {
            throw fail("\(values.count) values, the masks mark \(tileOffsets[masks.count])")
        }
        self.rows = rows
        self.columns = columns
        self.masks = masks
        self.tileOffsets = tileOffsets
        self.values = values
    }

    /// The mask bits of a tile's `height x width` top-left part.
    static func insideMask(height: Int, width: Int) -> UInt64 {
        let rowBits: UInt64 = width >= 8 ? 0xFF : (UInt64(1) << UInt64(max(0, width))) - 1
        var mask: UInt64 = 0
        for r in 0..<max(0, min(8, height)) { mask |= rowBits << UInt64(r * 8) }
        return mask
    }

    public init(csr: CSRMatrix<Element>) throws(SparseFormatError) {
        let t = Self.tile
        let tiles = Self.tileCount(rows: csr.rows, columns: csr.columns)
        var masks = [UInt64](repeating: 0, count: tiles)
        // Values land in tile order: collect (bit, value) per tile of each strip, then pack.
        var offsets = [Int32](repeating: 0, count: tiles + 1)
        var values = [Element]()
        values.reserveCapacity(csr.nnz)
        let perStrip = 4 * Self.blocksPerStrip(columns: csr.columns)
        var slots = [[(bit: Int, value: Element)]](repeating: [], count: perStrip)
        for strip in 0..<Self.strips(rows: csr.rows) {
            for i in slots.indices { slots[i].removeAll(keepingCapacity: true) }
            for row in (strip * Self.block)..<min(csr.rows, strip * Self.block + Self.block) {
                for position in csr.range(ofRow: row) {
                    let column = Int(csr.columnIndices[position])
                    let tile = Self.tileIndex(tileRow: row / t, tileColumn: column / t, columns: csr.columns) - strip * perStrip
                    slots[tile].append(((row % t) * t + column % t, csr.values[position]))
                }
            }
            for local in 0..<perStrip {
                let tile = strip * perStrip + local
                // Rows were visited in order and columns increase within a row: bit order already.
                for (bit, value) in slots[local] {
                    masks[tile] |= UInt64(1) << UInt64(bit)
                    values.append(value)
                }
                offsets[tile + 1] = Int32(values.count)
            }
        }
        try self.init(rows: csr.rows, columns: csr.columns, masks: masks, tileOffsets: offsets, values: values)
    }

    public func csr() -> CSRMatrix<Element> {
        let t = Self.tile
        var perRow = [[(column: Int32, value: Element)]](repeating: [], count: rows)
        for (tile, mask) in masks.enumerated() {
            let (tileRow, tileColumn) = Self.tilePosition(tile, columns: columns)
            var remaining = mask, next = Int(tileOffsets[tile])
            while remaining != 0 {
                let bit = remaining.trailingZeroBitCount
                perRow[tileRow * t + bit / t].append((Int32(tileColumn * t + bit % t), values[next]))
                next += 1
                remaining &= remaining - 1
            }
        }
        return .assembling(rows: rows, columns: columns, perRow: perRow)
    }
}
