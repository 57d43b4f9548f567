import SparseFormats
import Testing

@testable import KernelGen

/// A Swift transcription of the tiled kernel's index formulas (see TiledKernel.swift's desk
/// check), run over every thread of small launches. It checks the design, not the CUDA text:
/// every Y element has exactly one owner, vector accesses are aligned and in range, and the
/// staged-and-multiplied positions of each row are exactly `start ..< end`.
@Suite struct TiledIndexModelTests {
    static let configs: [SpMMConfig] = [
        .tiled(subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: true),
        .tiled(subwarpSize: 4, rowsPerBlock: 16, tileWidth: 8, vectorWidth: 1, chunkSize: 64, doubleBuffered: false),
        .tiled(subwarpSize: 32, rowsPerBlock: 2, tileWidth: 64, vectorWidth: 2, chunkSize: 32, doubleBuffered: false),
        .tiled(subwarpSize: 16, rowsPerBlock: 2, tileWidth: 64, vectorWidth: 2, chunkSize: 48, doubleBuffered: false),
    ]

    @Test(arguments: configs, [1, 3, 8, 64, 66, 260])
    func everyOutputHasExactlyOneOwner(config: SpMMConfig, m: Int) throws {
        guard m % config.vectorWidth == 0 else { return }  // validation rejects these
        let n = 7
        let problem = try makeProblem(n: n, k: 5, m: m, nnz: 0, maxRowLength: 0)
        try config.validate(for: problem)
        let grid = config.gridDimensions(for: problem)
        let rowOrder = (0..<n).reversed().map { $0 }  // any permutation
        var writes = [Int](repeating: 0, count: n * m)
        for bx in 0..<grid.x {
            for by in 0..<grid.y {
                for sub in 0..<config.rowsPerBlock {
                    let slot = bx * config.rowsPerBlock + sub
                    if slot >= n { continue }
                    let row = rowOrder[slot]
                    let colBase = by * config.tileWidth
                    for lane in 0..<config.subwarpSize {
                        for j in 0..<config.vectorsPerThread {
                            let c0 = colBase + (j * config.subwarpSize + lane) * config.vectorWidth
                            guard c0 < m else { continue }  // live[j]
                            #expect(c0 + config.vectorWidth <= m, "vector crosses the end of a row")
                            #expect((row * m + c0) % config.vectorWidth == 0, "unaligned vector")
                            for t in 0..<config.vectorWidth { writes[row * m + c0 + t] += 1 }
                        }
                    }
                }
            }
        }
        #expect(writes.allSatisfy { $0 == 1 })
    }

    @Test(arguments: configs)
    func stagingCoversEachRowExactly(config: SpMMConfig) {
        // Row lengths include 0, 1, a chunk minus one, a chunk, and several chunks, at every
        // start alignment; the arrays hold exactly nnz entries.
        let lengths = [0, 1, 3, 0, config.chunkSize - 1, config.chunkSize, 2, 5 * config.chunkSize + 3, 1, 0, 7]
        var offsets = [0]
        var nnz = 0
        for length in lengths {
            nnz += length
            offsets.append(nnz)
        }
        let sparse = config.sparseVectorWidth
        let groups = config.chunkSize / (config.subwarpSize * sparse)
        for row in lengths.indices {
            let start = offsets[row], end = offsets[row + 1]
            let alignedStart = start & ~(sparse - 1)
            let chunks = end > start ? (end - alignedStart + config.chunkSize - 1) / config.chunkSize : 0
            var multiplied: [Int] = []
            var lo = start - alignedStart
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
            #expect(multiplied == Array(start..<end), "row \(row)")
        }
    }
}
