import SparseFormats
import Testing

@testable import KernelGen

/// A Swift transcription of the X-tiled kernel's index math (see XTileKernel.swift's desk check),
/// run over every thread of small launches on explicit CSR patterns. It checks the design, not the
/// CUDA text: every Y element has exactly one owner; each row multiplies exactly its positions
/// start ..< end, in order, across chunks; every X element a nonzero reads was staged in the chunk
/// that reads it, inside the buffer; every global access is in range and aligned.
@Suite struct XTileIndexModelTests {
    static let configs: [XTileConfig] = [
        XTileConfig(subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 8, doubleBuffered: false),
        XTileConfig(subwarpSize: 4, rowsPerBlock: 16, tileWidth: 16, vectorWidth: 2, chunkSize: 5, doubleBuffered: true),
        XTileConfig(subwarpSize: 32, rowsPerBlock: 1, tileWidth: 32, vectorWidth: 1, chunkSize: 3, doubleBuffered: true),
        XTileConfig(subwarpSize: 16, rowsPerBlock: 2, tileWidth: 128, vectorWidth: 4, chunkSize: 32, doubleBuffered: false),
    ]

    /// A CSR pattern: sorted, distinct columns per row; rows of every awkward length.
    struct Pattern: CustomStringConvertible {
        let n: Int, k: Int
        let offsets: [Int]
        let columns: [Int]
        var nnz: Int { columns.count }
        var description: String { "\(n)x\(k) nnz \(nnz)" }

        static func random(n: Int, k: Int, density: Double, seed: UInt64) -> Pattern {
            var generator = SeededGenerator(seed: seed)
            var offsets = [0], columns: [Int] = []
            for row in 0..<n {
                var rowColumns: [Int] = []
                switch row % 7 {
                case 1: rowColumns = []  // empty rows
                case 3: rowColumns = Array(0..<k)  // a dense row
                case 5: rowColumns = [k - 1]  // only the last column
                default:
                    for c in 0..<k where Double.random(in: 0..<1, using: &generator) < density { rowColumns.append(c) }
                }
                columns += rowColumns
                offsets.append(columns.count)
            }
            return Pattern(n: n, k: k, offsets: offsets, columns: columns)
        }
    }

    static let patterns: [Pattern] = [
        .random(n: 13, k: 37, density: 0.2, seed: 1),
        .random(n: 5, k: 1, density: 0.5, seed: 2),
        .random(n: 9, k: 64, density: 0.05, seed: 3),
        Pattern(n: 6, k: 10, offsets: [0, 0, 0, 0, 0, 0, 0], columns: []),  // nnz = 0
    ]

    @Test(arguments: configs, [1, 6, 64, 130])
    func ownershipStagingAndCursorsAreExact(config: XTileConfig, m: Int) throws {
        guard m % config.vectorWidth == 0 else { return }  // validation rejects these
        for pattern in Self.patterns {
            try check(config, m: m, pattern: pattern)
        }
    }

    func check(_ config: XTileConfig, m: Int, pattern: Pattern) throws {
        let n = pattern.n, k = pattern.k, nnz = pattern.nnz
        let longest = (0..<n).map { pattern.offsets[$0 + 1] - pattern.offsets[$0] }.max() ?? 0
        let problem = try makeProblem(n: n, k: k, m: m, nnz: nnz, maxRowLength: longest)
        try config.validate(for: problem)
        let type = problem.elementType
        let s = config.subwarpSize, v = config.vectorWidth, tile = config.tileWidth, chunk = config.chunkSize
        let stride = config.rowStride(type), threads = config.threadsPerBlock
        let grid = config.gridDimensions(for: problem)
        let rowOrder = (0..<n).map { (n - 1 - $0 + 2) % n }  // reversed and rotated: any permutation
        #expect(Set(rowOrder).count == n)
        var writes = [Int](repeating: 0, count: n * m)
        var multiplied = [[Int]](repeating: [], count: n)  // positions per row, in order, over all column tiles
        for bx in 0..<grid.x {
            for by in 0..<grid.y {
                let colBase = by * tile
                // Slot -> row, bounds; the block reduction of the kernel.
                var rows: [(row: Int, start: Int, end: Int)?] = []
                var kBegin = Int(Int32.max), kEnd = 0
                for sub in 0..<config.rowsPerBlock {
                    let slot = bx * config.rowsPerBlock + sub
                    guard slot < n else {
                        rows.append(nil)
                        continue
                    }
                    let row = rowOrder[slot]
                    let start = pattern.offsets[row], end = pattern.offsets[row + 1]
                    if start < end {
                        kBegin = min(kBegin, pattern.columns[start])
                        kEnd = max(kEnd, pattern.columns[end - 1] + 1)
                    }
                    rows.append((row, start, end))
                }
                #expect(kEnd <= k)
                let chunks = kEnd > kBegin ? (kEnd - kBegin - 1) / chunk + 1 : 0
                // Cursor state per subwarp (uniform over its lanes).
                var p = rows.map { $0?.start ?? 0 }
                var gp = p.map { $0 & ~3 }
                var perTile = [[Int]](repeating: [], count: rows.count)
                for ch in 0..<chunks {
                    let k0 = kBegin + ch * chunk
                    let kHi = kEnd - k0 < chunk ? kEnd : k0 + chunk
                    // stage_x: which (staged row, column offset) elements hold X[k0 + r, colBase + u].
                    var staged = Set<Int>()
                    for tid in 0..<threads {
                        for i in 0..<config.copiesPerThread {
                            let q = i * threads + tid
                            let r = q / (tile / v), u = (q - r * (tile / v)) * v
                            guard q < config.copyVectors, r < kEnd - k0, colBase + u < m else { continue }
                            #expect(k0 + r < k && colBase + u + v <= m, "copy outside X")
                            #expect((r * stride + u) % v == 0 && ((k0 + r) * m + colBase + u) % v == 0, "unaligned copy")
                            #expect(r * stride + u + v <= config.bufferElements(type), "copy outside the buffer")
                            for t in 0..<v { #expect(staged.insert(r * stride + u + t).inserted, "element copied twice") }
                        }
                    }
                    // walk_chunk per subwarp.
                    for (sub, entry) in rows.enumerated() {
                        let end = entry?.end ?? 0
                        func column(_ q: Int) -> Int {
                            guard q < end else { return Int(Int32.max) }
                            #expect(q >= 0 && q < nnz, "row array read out of range")
                            return pattern.columns[q]
                        }
                        while true {
                            #expect(gp[sub] % 4 == 0)
                            for t in 0..<4 {
                                let q = gp[sub] + t
                                let c = column(q)
                                guard q >= p[sub] && c < kHi else { continue }
                                #expect(c >= k0, "position \(q) needs an earlier chunk")
                                // Every live vector of every lane reads staged row c - k0.
                                for lane in 0..<s {
                                    for j in 0..<config.vectorsPerThread {
                                        let offset = (j * s + lane) * v
                                        guard colBase + offset < m else { continue }
                                        for e in 0..<v {
                                            #expect(staged.contains((c - k0) * stride + offset + e), "read of an unstaged element")
                                        }
                                    }
                                }
                                perTile[sub].append(q)
                                p[sub] = q + 1
                            }
                            if p[sub] < gp[sub] + 4 { break }
                            gp[sub] += 4
                        }
                    }
                }
                // Epilogue: active rows store every live vector once.
                for (sub, entry) in rows.enumerated() {
                    guard let entry else { continue }
                    #expect(perTile[sub] == Array(entry.start..<entry.end), "row \(entry.row) tile \(by)")
                    if by == 0 { multiplied[entry.row] = perTile[sub] }
                    for lane in 0..<s {
                        for j in 0..<config.vectorsPerThread {
                            let c0 = colBase + (j * s + lane) * v
                            guard c0 < m else { continue }
                            for t in 0..<v { writes[entry.row * m + c0 + t] += 1 }
                        }
                    }
                }
            }
        }
        #expect(writes.allSatisfy { $0 == 1 }, "\(config) m \(m) \(pattern)")
        for row in 0..<n { #expect(multiplied[row] == Array(pattern.offsets[row]..<pattern.offsets[row + 1])) }
    }
}
