import SparseFormats
import Testing

@testable import KernelGen

/// The compact kernel's index math (CompactKernel.swift's desk check), executed lane by lane on
/// the CPU in Float64 over awkward shapes: every entry multiplied exactly once, every staged row
/// read inside its chunk, every load inside the padded arrays, Y equal to the reference.
@Suite struct CompactIndexModelTests {
    /// W's arrays as the kernel sees them (columns already decoded for csr16; nibbles for delta4),
    /// padded to multiples of 8 entries as the launcher pads them.
    struct Arrays {
        var offsets: [Int]
        var columns: [Int]  // csr16: the column; delta4: the nibble
        var values: [Double]
        var padded: Int
    }

    static func arrays(_ csr: CSRMatrix<Float>, _ format: CompactConfig.IndexFormat) throws -> Arrays {
        switch format {
        case .csr16:
            let columns = csr.columnIndices.map { Int($0) }
            return Arrays(offsets: csr.rowOffsets.map { Int($0) }, columns: columns, values: csr.values.map(Double.init),
                          padded: max(1, (columns.count + 7) / 8 * 8))
        case .delta4:
            let delta = try DeltaCSRMatrix<Float>(csr: csr)
            return Arrays(offsets: delta.rowOffsets.map { Int($0) }, columns: (0..<delta.entries).map { delta.delta($0) },
                          values: delta.values.map(Double.init), padded: max(1, (delta.entries + 7) / 8 * 8))
        }
    }

    /// Y as the kernel computes it, plus how often each entry was multiplied.
    static func run(_ csr: CSRMatrix<Float>, x: [Double], m: Int, _ config: CompactConfig, _ problem: SpMMProblem) throws -> (y: [Double], uses: [Int]) {
        let a = try arrays(csr, config.format)
        let n = csr.rows, k = csr.columns, V = config.vectorWidth, U = config.unroll, S = config.split
        let R = config.rowsPerBlock(for: problem), chunk = config.chunkRows(for: problem), chunks = config.chunkCount(for: problem)
        var y = [Double](repeating: .nan, count: n * m)
        var uses = [Int](repeating: 0, count: a.values.count)
        for block in 0..<config.gridDimensions(for: problem).x {
            let rowBegin = block * R, rowsHere = min(R, n - rowBegin)
            #expect(rowsHere >= 1)
            let segs = rowsHere * S
            func bounds(_ s: Int) -> (start: Int, end: Int) {
                let row = rowBegin + s / S, piece = s % S
                let start = a.offsets[row], len = a.offsets[row + 1] - start
                return (start + len * piece / S, start + len * (piece + 1) / S)
            }
            var cursor = (0..<segs).map { bounds($0).start }, last = [Int](repeating: -1, count: segs)
            var part = [Double](repeating: 0, count: segs * m)
            for ch in 0..<chunks {
                let c0 = ch * chunk, c1 = min(c0 + chunk, k)
                for s in 0..<segs {
                    let end = bounds(s).end
                    var pos = cursor[s], lastColumn = last[s], acc = [Double](repeating: 0, count: m)
                    var base = pos & ~(V - 1), done = pos >= end
                    while !done {
                        var stops: [(at: Int, last: Int)] = []
                        var carry = lastColumn
                        for u in 0..<U {
                            // Per lane: its live steps (delta4), then the warp scan.
                            var runs = [Int](repeating: 0, count: 32)
                            for lane in 0..<32 {
                                let vp = base + (u * 32 + lane) * V
                                guard vp < end else { continue }
                                #expect(vp % V == 0 && vp + V <= a.padded)
                                for e in 0..<V where vp + e >= pos && vp + e < end { runs[lane] += a.columns[vp + e] + 1 }
                            }
                            var before = carry
                            for lane in 0..<32 {
                                let vp = base + (u * 32 + lane) * V
                                var step = 0
                                for e in 0..<V {
                                    let q = vp + e
                                    guard vp < end, q >= pos, q < end else { continue }
                                    let c: Int
                                    if config.format == .csr16 {
                                        c = a.columns[q]
                                    } else {
                                        step += a.columns[q] + 1
                                        c = before + step
                                    }
                                    if c >= c1 {
                                        stops.append((q, c - a.columns[q] - 1))
                                    } else {
                                        #expect(c >= c0, "column \(c) below chunk \(c0)")
                                        uses[q] += 1
                                        for j in 0..<m { acc[j] += a.values[q] * x[c * m + j] }
                                    }
                                }
                                before += runs[lane]
                            }
                            carry = before
                        }
                        if let first = stops.min(by: { $0.at < $1.at }) {
                            pos = first.at
                            lastColumn = first.last
                            done = true
                        } else {
                            lastColumn = carry
                            base += U * 32 * V
                            pos = base
                            if pos >= end {
                                pos = end
                                done = true
                            }
                        }
                    }
                    for j in 0..<m { part[s * m + j] += acc[j] }
                    cursor[s] = pos
                    last[s] = lastColumn
                }
            }
            for r in 0..<rowsHere {
                for j in 0..<m { y[(rowBegin + r) * m + j] = (0..<S).reduce(0) { $0 + part[(r * S + $1) * m + j] } }
            }
        }
        return (y, uses)
    }

    /// Awkward patterns: an empty row, a dense row, a single column, gaps longer than 16 columns,
    /// rows around the vector and round lengths.
    static func pattern(n: Int, k: Int, density: Double, seed: UInt64) -> CSRMatrix<Float> {
        var generator = SeededGenerator(seed: seed)
        var offsets: [Int32] = [0], columns: [Int32] = [], values: [Float] = []
        for row in 0..<n {
            for column in 0..<k {
                let keep: Bool
                switch row % 7 {
                case 3: keep = false
                case 5: keep = row == 5
                default: keep = Double(generator.next() % 10_000) / 10_000 < density
                }
                if keep || (row == 5) {
                    columns.append(Int32(column))
                    values.append(Float(Int(generator.next() % 7) - 3) + 0.5)
                }
            }
            offsets.append(Int32(columns.count))
        }
        return try! CSRMatrix(rows: n, columns: k, rowOffsets: offsets, columnIndices: columns, values: values)
    }

    @Test(arguments: [
        (n: 37, k: 1000, m: 3, density: 0.3),
        (n: 300, k: 77, m: 1, density: 0.9),
        (n: 5, k: 4099, m: 16, density: 0.02),
        (n: 260, k: 2000, m: 8, density: 0.5),
        (n: 1, k: 1, m: 2, density: 1.0),
    ])
    func kernelIndexMathMatchesTheReference(shape: (n: Int, k: Int, m: Int, density: Double)) throws {
        let csr = Self.pattern(n: shape.n, k: shape.k, density: shape.density, seed: UInt64(shape.n * 31 + shape.k))
        var generator = SeededGenerator(seed: 7)
        let x = (0..<(shape.k * shape.m)).map { _ in Double(Int(generator.next() % 9) - 4) }
        let reference = try ReferenceSpMM.multiply(csr, DenseMatrix(rows: shape.k, columns: shape.m, storage: x))
        var longest = 0
        for row in 0..<csr.rows { longest = max(longest, csr.range(ofRow: row).count) }
        let problem = try SpMMProblem(
            n: shape.n, k: shape.k, m: shape.m, nnz: csr.nnz, patternDigest: 1, maxRowLength: longest,
            elementType: .f16, device: .sm90)
        for format in CompactConfig.IndexFormat.allCases {
            for (vector, unroll, split, chunk, warps) in [(8, 2, 1, 64, 4), (2, 1, 4, 8, 8), (4, 4, 2, 512, 16), (8, 1, 8, 4096, 8)] {
                let config = CompactConfig(
                    format: format, warps: warps, vectorWidth: vector, unroll: unroll,
                    split: format == .delta4 ? 1 : split, blocksPerSM: 1, chunk: chunk)
                let (y, uses) = try Self.run(csr, x: x, m: shape.m, config, problem)
                #expect(uses.allSatisfy { $0 == 1 }, "\(config): every stored entry (delta4 padding too) multiplied once")
                #expect(y == reference.storage, "\(config) on \(shape)")
            }
        }
    }
}
