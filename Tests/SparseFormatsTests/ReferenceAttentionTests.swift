import Foundation
import Testing
@testable import SparseFormats

/// The ACSR reference attention against a plain dense masked softmax, in Float64.
@Suite struct ReferenceAttentionTests {
    /// softmax(scale Q Kᵀ + mask) V per head over the full L x L scores, masked entries excluded,
    /// fully masked rows zero: the straightforward computation the ACSR reference must equal.
    static func denseMasked(
        q: [Double], k: [Double], v: [Double], pattern: AttentionPattern, heads: Int, length: Int, d: Int, scale: Double
    ) -> [Double] {
        var out = [Double](repeating: 0, count: heads * length * d)
        for head in 0..<heads {
            let base = head * length * d
            for i in 0..<length {
                var scores = [Double](repeating: -.infinity, count: length)
                for j in 0..<length where pattern.contains(query: i, key: j, length: length) {
                    scores[j] = scale * (0..<d).reduce(0.0) { $0 + q[base + i * d + $1] * k[base + j * d + $1] }
                }
                let largest = scores.max() ?? -.infinity
                guard largest > -.infinity else { continue }
                let weights = scores.map { Foundation.exp($0 - largest) }
                let sum = weights.reduce(0, +)
                for j in 0..<length where weights[j] > 0 {
                    for f in 0..<d { out[base + i * d + f] += weights[j] / sum * v[base + j * d + f] }
                }
            }
        }
        return out
    }

    static func operands(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Double(generator.nextSignedUnitFloat()) * 2 }
    }

    @Test(arguments: [
        (AttentionPattern.window(4), 7, 3), (.causalWindow(3), 13, 5), (.dilated(6, stride: 3), 29, 8),
        (.globalWindow(2, 2), 17, 4), (.blocked(5), 23, 1), (.union([.window(2), .dilated(8, stride: 4)]), 40, 6),
        (.causalWindow(0), 5, 2), (.window(100), 9, 3), (.window(0), 1, 7),
    ])
    func matchesDenseMaskedSoftmax(pattern: AttentionPattern, length: Int, d: Int) throws {
        let heads = 3, count = heads * length * d
        let q = Self.operands(count, seed: 1), k = Self.operands(count, seed: 2), v = Self.operands(count, seed: 3)
        let acsr = try ACSR(pattern, length: length)
        let scale = 0.7
        let reference = try ReferenceAttention(q: q, k: k, v: v, pattern: acsr, batchHeads: heads, headSize: d, scale: scale)
        let dense = Self.denseMasked(q: q, k: k, v: v, pattern: pattern, heads: heads, length: length, d: d, scale: scale)
        #expect(reference.rows == Array(0..<length))
        #expect(zip(reference.output, dense).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($1)) }, "\(pattern)")
        // Float32 operands widen exactly; the default scale is 1 / sqrt(d).
        let f = try ReferenceAttention(
            q: q.map(Float.init), k: k.map(Float.init), v: v.map(Float.init), pattern: acsr, batchHeads: heads, headSize: d)
        let denseDefault = Self.denseMasked(q: q, k: k, v: v, pattern: pattern, heads: heads, length: length, d: d, scale: 1 / Double(d).squareRoot())
        #expect(ReferenceSpMM.relativeError(f.output, reference: denseDefault) <= 1e-12)
    }

    @Test func emptyRowsGiveZeros() throws {
        // Causal window 0 empties every row.
        let length = 6, d = 4
        let q = Self.operands(length * d, seed: 4)
        let empty = try ReferenceAttention(q: q, k: q, v: q, pattern: ACSR(.causalWindow(0), length: length), batchHeads: 1, headSize: d)
        #expect(empty.output.allSatisfy { $0 == 0 })
        // Blocks of 1 leave one key per row: the output is that key's value row exactly.
        let diagonal = try ReferenceAttention(q: q, k: q, v: q, pattern: ACSR(.blocked(1), length: length), batchHeads: 1, headSize: d)
        #expect(diagonal.output == q)
    }

    @Test func sampledRowsAreTheFullRows() throws {
        let length = 300, d = 5, heads = 2
        let q = Self.operands(heads * length * d, seed: 5), k = Self.operands(heads * length * d, seed: 6)
        let acsr = try ACSR(.globalWindow(3, 16), length: length)
        let full = try ReferenceAttention(q: q, k: k, v: q, pattern: acsr, batchHeads: heads, headSize: d)
        let sampled = try ReferenceAttention(q: q, k: k, v: q, pattern: acsr, batchHeads: heads, headSize: d, rows: .sample(count: 20, seed: 9))
        #expect(sampled.rows.count == 20 && sampled.rows.first == 0 && sampled.rows.last == length - 1)
        #expect(sampled.rows == sampled.rows.sorted() && Set(sampled.rows).count == 20)
        #expect(sampled.output == sampled.gather(full.output))
        let listed = try ReferenceAttention(q: q, k: k, v: q, pattern: acsr, batchHeads: heads, headSize: d, rows: .listed([7, 2, 7]))
        #expect(listed.rows == [2, 7] && listed.output == listed.gather(full.output))
        #expect(try AttentionRows.sample(count: 500, seed: 1).resolve(length: 10) == Array(0..<10))
        #expect(throws: SparseFormatError.rowOutOfRange(position: 1, row: 10, rows: 10)) { try AttentionRows.listed([0, 10]).resolve(length: 10) }
        #expect(throws: SparseFormatError.shapeMismatch(operation: "attention K [batchHeads][L][d]", left: [2, 300, 5], right: [1])) {
            try ReferenceAttention(q: q, k: [1.0], v: q, pattern: acsr, batchHeads: heads, headSize: d)
        }
    }
}
