import SparseFormats
import Testing

@testable import KernelGen

/// A Swift transcription of the tiled kernel's index formulas (see TiledKernel.swift's desk
/// check), run over every thread of small launches. It checks the design, not the CUDA text:
/// every Y element has exactly one owner, vector accesses are aligned and in range, and the
/// staged-and-multiplied positions of each row are exactly `start ..< end`.
@Suite struct TiledIndexModelTests {
    static let configs: [TiledConfig] = [
        TiledConfig(subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: true),
        TiledConfig(subwarpSize: 4, rowsPerBlock: 16, tileWidth: 8, vectorWidth: 1, chunkSize: 64, doubleBuffered: false),
        TiledConfig(subwarpSize: 32, rowsPerBlock: 2, tileWidth: 64, vectorWidth: 2, chunkSize: 32, doubleBuffered: false),
        TiledConfig(subwarpSize: 16, rowsPerBlock: 2, tileWidth: 64, vectorWidth: 2, chunkSize: 48, doubleBuffered: false),
        TiledConfig(subwarpSize: 8, rowsPerBlock: 2, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: true, rowSplit: 4),
        TiledConfig(subwarpSize: 32, rowsPerBlock: 1, tileWidth: 64, vectorWidth: 2, chunkSize: 64, doubleBuffered: false, rowSplit: 2),
        TiledConfig(subwarpSize: 4, rowsPerBlock: 1, tileWidth: 4, vectorWidth: 1, chunkSize: 12, doubleBuffered: false, rowSplit: 8),
        TiledConfig(subwarpSize: 8, rowsPerBlock: 1, tileWidth: 32, vectorWidth: 4, chunkSize: 32, doubleBuffered: true, rowSplit: 16),
    ]

    @Test(arguments: configs, [1, 3, 8, 64, 66, 260])
    func everyOutputHasExactlyOneOwner(config: TiledConfig, m: Int) throws {
        guard m % config.vectorWidth == 0 else { return }  // validation rejects these
        let n = 7
        let problem = try makeProblem(n: n, k: 4096, m: m, nnz: 4096, maxRowLength: 4096)
        try config.validate(for: problem)
        let split = config.rowSplit, tile = config.tileWidth
        let grid = config.gridDimensions(for: problem)
        let rowOrder = (0..<n).reversed().map { $0 }  // any permutation
        var writes = [Int](repeating: 0, count: n * m)
        let reductionFloats = config.reductionBytes / 4
        for bx in 0..<grid.x {
            for by in 0..<grid.y {
                // Per block: which (part, position) wrote each partial-sum float, and what part 0 read.
                var partialWriter = [Int?](repeating: nil, count: reductionFloats)
                var partialReads: [(index: Int, sub: Int, position: Int)] = []
                for part in 0..<split {
                    for sub in 0..<config.rowsPerBlock {
                        let slot = bx * config.rowsPerBlock + sub
                        let active = slot < n  // inactive subwarps only reach the barrier
                        let row = active ? rowOrder[slot] : 0
                        let colBase = by * tile
                        for lane in 0..<config.subwarpSize {
                            for j in 0..<config.vectorsPerThread {
                                let c0 = colBase + (j * config.subwarpSize + lane) * config.vectorWidth
                                guard c0 < m else { continue }  // live[j]
                                #expect(c0 + config.vectorWidth <= m, "vector crosses the end of a row")
                                #expect((row * m + c0) % config.vectorWidth == 0, "unaligned vector")
                                let position = (j * config.subwarpSize + lane) * config.vectorWidth
                                let base = sub * ((split - 1) * tile) + position
                                for t in 0..<config.vectorWidth {
                                    if part > 0 {
                                        let index = base + (part - 1) * tile + t
                                        #expect(index < reductionFloats && partialWriter[index] == nil, "partial slot reused")
                                        partialWriter[index] = (part * config.rowsPerBlock + sub) * tile + position + t
                                    } else if active {
                                        for q in 0..<(split - 1) { partialReads.append((base + q * tile + t, sub, position + t)) }
                                        writes[row * m + c0 + t] += 1
                                    }
                                }
                            }
                        }
                    }
                }
                // Part 0 of (sub, position) reads exactly the partials of parts 1 ..< P at the same (sub, position).
                for read in partialReads {
                    let writer = partialWriter[read.index]
                    #expect(writer != nil && writer! % tile == read.position && writer! / tile % config.rowsPerBlock == read.sub)
                }
                #expect(partialReads.count == Set(partialReads.map(\.index)).count, "a partial read twice")
            }
        }
        #expect(writes.allSatisfy { $0 == 1 })
    }

    /// The positions the kernel multiplies for one segment, checking the staging on the way:
    /// transcribes stage_chunk and the chunk loop for a range with the given aligned base.
    static func multiplied(_ config: TiledConfig, alignedStart: Int, first: Int, end: Int, nnz: Int) -> [Int] {
        let sparse = config.sparseVectorWidth
        let groups = config.chunkSize / (config.subwarpSize * sparse)
        #expect(alignedStart % sparse == 0, "segment base not aligned to the staging vector")
        let chunks = end > first ? (end - alignedStart + config.chunkSize - 1) / config.chunkSize : 0
        var multiplied: [Int] = []
        var lo = first - alignedStart
        for ch in 0..<chunks {
            let base = alignedStart + ch * config.chunkSize
            var staged = Set<Int>()
            for lane in 0..<config.subwarpSize {
                for g in 0..<groups {
                    let e = (g * config.subwarpSize + lane) * sparse
                    let p = base + e
                    if p + sparse <= end {
                        #expect(p % sparse == 0 && p >= 0 && p + sparse <= nnz, "vector load out of range")
                        for t in 0..<sparse { staged.insert(e + t) }
                    } else {
                        for t in 0..<sparse where p + t < end {
                            #expect(p + t >= 0 && p + t < nnz)
                            staged.insert(e + t)
                        }
                    }
                }
            }
            let hi = min(config.chunkSize, end - base)
            for i in lo..<hi {
                #expect(staged.contains(i), "offset \(i) of chunk \(ch) read but never staged")
                multiplied.append(base + i)
            }
            lo = 0
        }
        return multiplied
    }

    @Test(arguments: configs)
    func stagingCoversEachRowExactly(config: TiledConfig) {
        // Row lengths include 0, 1, a chunk minus one, a chunk, several chunks, lengths just
        // above and below multiples of the split, at every start alignment; the arrays hold
        // exactly nnz entries. Segments are transcribed from the kernel's split prologue.
        let c = config.chunkSize, split = config.rowSplit
        let lengths = [0, 1, 3, 0, c - 1, c, 2, 5 * c + 3, 1, 0, 7, split * c - 1, split * c + 1, split, split + 1, 16 * c + 5]
        var offsets = [0]
        var nnz = 0
        for length in lengths {
            nnz += length
            offsets.append(nnz)
        }
        let sparse = config.sparseVectorWidth
        for row in lengths.indices {
            let start = offsets[row], end = offsets[row + 1]
            let rowAligned = start & ~(sparse - 1)
            let per = ((end - rowAligned + split - 1) / split + sparse - 1) & ~(sparse - 1)
            var union: [Int] = []
            for part in 0..<split {
                let segmentBase = rowAligned + part * per
                let segmentEnd = min(end, segmentBase + per)
                let first = max(start, segmentBase)
                if part > 0 && end > start { #expect(first == segmentBase, "only segment 0 skips entries") }
                let segment = Self.multiplied(config, alignedStart: segmentBase, first: first, end: segmentEnd, nnz: nnz)
                #expect(segment == Array(segment.first.map { $0..<($0 + segment.count) } ?? 0..<0), "segment not contiguous")
                union += segment
            }
            // In part order the segments concatenate to exactly start ..< end: a cover, no overlap.
            #expect(union == Array(start..<end), "row \(row) of length \(end - start)")
            // Balanced: no segment is longer than ceil(L / P) rounded up to the staging vector.
            #expect(per <= (end - rowAligned + split - 1) / split + sparse - 1)
        }
    }
}
