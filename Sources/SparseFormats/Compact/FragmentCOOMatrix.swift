/// Fragment-coordinate storage for tensor-core kernels at high sparsity: W cut into 16 x 16 blocks,
/// and each nonzero stored as its value and one byte, its place in the block's mma.sync m16n8k16 A
/// fragment. At fp16 that is 3 B per nonzero plus 4 B per block (0.32 B per weight at 0.9
/// sparsity, 0.92 at 0.7, 1.52 at 0.5; the bitmap format: 0.39 / 0.79 / 1.19; dense fp16 2).
///
/// Why. The bitmap format's kernel spends its time expanding every one of a block's 256 slots
/// (popcount prefixes, selects: 89 instructions a warp a block in the SASS of
/// `bitmap.s2.j8.n16.c8.p4` for sm_90, the same at every sparsity; docs/perf/2026-12-01-h200-session10,
/// call 2, found that kernel issue-bound). Here a kernel scatters only the
/// nonzeros: lane i writes value i to byte `2 x position` of a zeroed 512-byte block in shared
/// memory, and each lane then reads its own fragment as one 16-byte load, so the work follows the
/// nonzeros (about 26 a block at 0.9). The position is in fragment order, so that last load has
/// no bank conflicts and needs no ldmatrix. Below about 0.83 sparsity the bitmap format is fewer
/// bytes (its mask is 1 bit a weight, a position 1 byte a nonzero).
///
/// Layout. Blocks are stored strip by strip (16 rows), left to right: block `b = strip x
/// blocksPerStrip + kb` (rows padded to 16, columns to 16). `blockOffsets` (blocks + 1 entries)
/// is the prefix sum of the blocks' nonzero counts; a block's entries are
/// `blockOffsets[b] ..< blockOffsets[b + 1]` of `positions` and `values`, in increasing position.
/// Position `8 l + 2 r + h` is lane l's register r, half h of the A fragment: for `g = l / 4`,
/// `q = l % 4`, block row `g + 8 (r % 2)`, block column `2 q + h + 8 (r / 2)`. So a strip's entries
/// are one contiguous run.
public struct FragmentCOOMatrix<Element: SparseElement>: CompactSparseMatrix {
    public static var formatName: String { "fcoo16" }
    /// Block side: one mma.sync m16n8k16 A fragment.
    public static var block: Int { 16 }

    /// 16-row strips of a `rows`-row matrix.
    public static func strips(rows: Int) -> Int { (rows + block - 1) / block }
    /// 16-column blocks per strip of a `columns`-column matrix.
    public static func blocksPerStrip(columns: Int) -> Int { (columns + block - 1) / block }
    /// Blocks of a `rows x columns` matrix.
    public static func blockCount(rows: Int, columns: Int) -> Int { strips(rows: rows) * blocksPerStrip(columns: columns) }

    /// The block row and column of fragment position `position` (0 ..< 256).
    public static func place(ofPosition position: Int) -> (row: Int, column: Int) {
        let lane = position / 8, register = (position % 8) / 2, half = position % 2
        return (lane / 4 + 8 * (register % 2), 2 * (lane % 4) + half + 8 * (register / 2))
    }

    /// The fragment position of block row `row`, block column `column`.
    public static func position(row: Int, column: Int) -> Int {
        let lane = 4 * (row % 8) + (column % 8) / 2
        let register = row / 8 + 2 * (column / 8)
        return 8 * lane + 2 * register + column % 2
    }

    public let rows: Int
    public let columns: Int
    public let blockOffsets: [Int32]
    public let positions: [UInt8]
    public let values: [Element]

    public var nnz: Int { values.count }
    public var storageBytes: Int { blockOffsets.count * 4 + positions.count + nnz * Element.byteWidth }

    /// Validates: offset count and prefix (starting at 0, nondecreasing, ending at the entry count),
    /// as many positions as values, positions strictly increasing within each block, and no entry
    /// outside the `rows x columns` matrix.
    public init(rows: Int, columns: Int, blockOffsets: [Int32], positions: [UInt8], values: [Element]) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        func fail(_ detail: String) -> SparseFormatError { .invalidCompactLayout(format: Self.formatName, detail: detail) }
        let blocks = Self.blockCount(rows: rows, columns: columns)
        guard blockOffsets.count == blocks + 1, blockOffsets.first == 0 else {
            throw fail("\(blockOffsets.count) block offsets starting at \(blockOffsets.first.map(String.init) ?? "none"), expected \(blocks + 1) starting at 0")
        }
        guard positions.count == values.count else {
            throw fail("\(positions.count) positions for \(values.count) values")
        }
        guard Int(blockOffsets[blocks]) == values.count else {
            throw fail("the block offsets end at \(blockOffsets[blocks]), there are \(values.count) values")
        }
        let perStrip = Self.blocksPerStrip(columns: columns)
        for b in 0..<blocks {
            let start = Int(blockOffsets[b]), end = Int(blockOffsets[b + 1])
            guard start <= end, end <= values.count, end - start <= 256 else {
                throw fail("block \(b) has offsets \(start) ..< \(end)")
            }
            let rowBase = (b / max(1, perStrip)) * Self.block, columnBase = (b % max(1, perStrip)) * Self.block
            var previous = -1
            for entry in start..<end {
                let position = Int(positions[entry])
                guard position > previous else {
                    throw fail("block \(b): position \(position) of entry \(entry) does not follow \(previous)")
                }
                previous = position
                let (r, c) = Self.place(ofPosition: position)
                guard rowBase + r < rows, columnBase + c < columns else {
                    throw fail("block \(b): entry \(entry) at row \(rowBase + r), column \(columnBase + c) lies outside the \(rows) x \(columns) matrix")
                }
            }
        }
        self.rows = rows
        self.columns = columns
        self.blockOffsets = blockOffsets
        self.positions = positions
        self.values = values
    }

    public init(csr: CSRMatrix<Element>) throws(SparseFormatError) {
        let perStrip = Self.blocksPerStrip(columns: csr.columns)
        let blocks = Self.blockCount(rows: csr.rows, columns: csr.columns)
        var offsets = [Int32](repeating: 0, count: blocks + 1)
        var positions = [UInt8](), values = [Element]()
        positions.reserveCapacity(csr.nnz)
        values.reserveCapacity(csr.nnz)
        var slots = [[(position: Int, value: Element)]](repeating: [], count: perStrip)
        for strip in 0..<Self.strips(rows: csr.rows) {
            for i in slots.indices { slots[i].removeAll(keepingCapacity: true) }
            for row in (strip * Self.block)..<min(csr.rows, strip * Self.block + Self.block) {
                for entry in csr.range(ofRow: row) {
                    let column = Int(csr.columnIndices[entry])
                    slots[column / Self.block].append((Self.position(row: row % Self.block, column: column % Self.block), csr.values[entry]))
                }
            }
            for local in 0..<perStrip {
                for (position, value) in slots[local].sorted(by: { $0.position < $1.position }) {
                    positions.append(UInt8(position))
                    values.append(value)
                }
                offsets[strip * perStrip + local + 1] = Int32(values.count)
            }
        }
        try self.init(rows: csr.rows, columns: csr.columns, blockOffsets: offsets, positions: positions, values: values)
    }

    public func csr() -> CSRMatrix<Element> {
        let perStrip = max(1, Self.blocksPerStrip(columns: columns))
        var perRow = [[(column: Int32, value: Element)]](repeating: [], count: rows)
        for b in 0..<(blockOffsets.count - 1) {
            let rowBase = (b / perStrip) * Self.block, columnBase = (b % perStrip) * Self.block
            for entry in Int(blockOffsets[b])..<Int(blockOffsets[b + 1]) {
                let (r, c) = Self.place(ofPosition: Int(positions[entry]))
                perRow[rowBase + r].append((Int32(columnBase + c), values[entry]))
            }
        }
        // Blocks come left to right, but a block's entries are in fragment order: the rows are sorted there.
        return .assembling(rows: rows, columns: columns, perRow: perRow)
    }
}
