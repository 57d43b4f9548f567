/// Bitmap-tiled storage for tensor-core kernels ("load as sparse, compute as dense", as SpInfer
/// and Flash-LLM do): W cut into 8 x 8 tiles, each a 64-bit mask of its nonzeros (bit `r * 8 + c`
/// for tile row r, tile column c) and its nonzero values packed in bit order. 1 bit per weight
/// plus the values plus one 32-bit value offset per tile: at fp16, 2 x density + 0.19 B per weight
/// (0.39 B per weight at 0.9 sparsity, against 0.6 for CSR32 and 2 for dense).
///
/// Why 8 x 8: one tile's mask is one 64-bit register word; mma.sync m16n8k16's A fragment (16 x 16)
/// is four such tiles, so a warp expands a fragment from four masks with popcount prefixes; it is
/// the tile SpInfer measured best on Ampere/Ada. The choice is to be confirmed by the tensor-core
/// family's measurements on the H200 (issue 12); the format keeps the tile fixed so kernels and
/// files agree.
///
/// Tiles are stored row-major over the `ceil(N / 8) x ceil(K / 8)` grid, every tile (an empty one
/// has mask 0); `tileOffsets` (tiles + 1 entries) is the prefix sum of the masks' popcounts.
/// Mask bits outside the matrix (edge tiles) must be 0.
public struct BitmapTiledMatrix<Element: SparseElement>: CompactSparseMatrix {
    public static var formatName: String { "bitmap8x8" }
    /// Tile side.
    public static var tile: Int { 8 }

    public let rows: Int
    public let columns: Int
    public let masks: [UInt64]
    public let tileOffsets: [Int32]
    public let values: [Element]

    public var tileRows: Int { (rows + Self.tile - 1) / Self.tile }
    public var tileColumns: Int { (columns + Self.tile - 1) / Self.tile }
    public var nnz: Int { values.count }
    public var storageBytes: Int { masks.count * 8 + tileOffsets.count * 4 + nnz * Element.byteWidth }

    /// Validates: mask count, no bit outside the matrix, offsets equal to the popcount prefix.
    public init(rows: Int, columns: Int, masks: [UInt64], tileOffsets: [Int32], values: [Element]) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        func fail(_ detail: String) -> SparseFormatError { .invalidCompactLayout(format: Self.formatName, detail: detail) }
        let t = Self.tile
        let tileRows = (rows + t - 1) / t, tileColumns = (columns + t - 1) / t
        guard masks.count == tileRows * tileColumns else {
            throw fail("\(masks.count) tile masks, expected \(tileRows) x \(tileColumns) = \(tileRows * tileColumns)")
        }
        guard tileOffsets.count == masks.count + 1, tileOffsets.first == 0 else {
            throw fail("\(tileOffsets.count) tile offsets starting at \(tileOffsets.first.map(String.init) ?? "none"), expected \(masks.count + 1) starting at 0")
        }
        for (tile, mask) in masks.enumerated() {
            let height = min(t, rows - (tile / max(1, tileColumns)) * t), width = min(t, columns - (tile % max(1, tileColumns)) * t)
            let inside = Self.insideMask(height: height, width: width)
            guard mask & ~inside == 0 else {
                throw fail("tile \(tile) (tile row \(tile / tileColumns), tile column \(tile % tileColumns)) marks entries outside the \(rows) x \(columns) matrix")
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
        let tileRows = (csr.rows + t - 1) / t, tileColumns = (csr.columns + t - 1) / t
        var masks = [UInt64](repeating: 0, count: tileRows * tileColumns)
        // Values land in tile order: collect (bit, value) per tile of each tile row, then pack.
        var offsets = [Int32](repeating: 0, count: masks.count + 1)
        var values = [Element]()
        values.reserveCapacity(csr.nnz)
        var slots = [[(bit: Int, value: Element)]](repeating: [], count: tileColumns)
        for tileRow in 0..<tileRows {
            for i in slots.indices { slots[i].removeAll(keepingCapacity: true) }
            for row in (tileRow * t)..<min(csr.rows, tileRow * t + t) {
                for position in csr.range(ofRow: row) {
                    let column = Int(csr.columnIndices[position])
                    let bit = (row - tileRow * t) * t + column % t
                    slots[column / t].append((bit, csr.values[position]))
                }
            }
            for tileColumn in 0..<tileColumns {
                let tile = tileRow * tileColumns + tileColumn
                // Rows were visited in order and columns increase within a row: bit order already.
                for (bit, value) in slots[tileColumn] {
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
            let tileRow = tile / tileColumns, tileColumn = tile % tileColumns
            var remaining = mask, next = Int(tileOffsets[tile])
            while remaining != 0 {
                let bit = remaining.trailingZeroBitCount
                perRow[tileRow * t + bit / t].append((Int32(tileColumn * t + bit % t), values[next]))
                next += 1
                remaining &= remaining - 1
            }
        }
        var rowOffsets = [Int32](repeating: 0, count: rows + 1)
        var columnIndices = [Int32](), decoded = [Element]()
        columnIndices.reserveCapacity(nnz)
        decoded.reserveCapacity(nnz)
        // Tiles of a tile row are visited left to right, so each row's columns already increase.
        for row in 0..<rows {
            for entry in perRow[row] {
                columnIndices.append(entry.column)
                decoded.append(entry.value)
            }
            rowOffsets[row + 1] = Int32(decoded.count)
        }
        return CSRMatrix(unchecked: rows, columns, rowOffsets, columnIndices, decoded)
    }
}
