import SparseFormats
import Testing
@testable import CPUKernels

/// The fused CPU sparse attention against SparseFormats' Float64 reference, on every
/// instruction-set path this CPU runs, over lengths and head sizes that hit every tail (of the
/// vectors and of the 64-key chunks), empty rows and rows of one key.
@Suite struct CPUSparseAttentionTests {
    static func operands(_ count: Int, seed: UInt64, spread: Float = 2) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextSignedUnitFloat() * spread }
    }

    static let cases: [(AttentionPattern, Int, Int)] = [
        (.window(4), 1, 5), (.window(0), 2, 64), (.causalWindow(3), 7, 32), (.causalWindow(0), 9, 8),
        (.dilated(16, stride: 3), 100, 33), (.globalWindow(3, 8), 257, 64), (.blocked(50), 130, 128),
        (.union([.window(8), .dilated(64, stride: 4)]), 257, 17), (.window(300), 257, 1), (.causalWindow(130), 200, 96),
        (.globalWindow(300, 2), 40, 128),
    ]

    @Test(arguments: cases)
    func matchesTheReference(pattern: AttentionPattern, length: Int, headSize: Int) throws {
        let heads = 3, count = heads * length * headSize
        let acsr = try ACSR(pattern, length: length)
        // Larger spread in Q makes sharp softmaxes, so the online rescaling matters.
        let q = Self.operands(count, seed: 11, spread: 4), k = Self.operands(count, seed: 12), v = Self.operands(count, seed: 13)
        let reference = try ReferenceAttention(q: q, k: k, v: v, pattern: acsr, batchHeads: heads, headSize: headSize)
        for isa in CPUISA.supported {
            for pool in [CPUWorkerPool(threads: 1), CPUWorkerPool.shared] {
                // Outputs start as NaN: an element never written fails the check.
                let out = try CPUSparseAttention.attention(
                    q: q, k: k, v: v, pattern: acsr, batchHeads: heads, headSize: headSize, isa: isa, pool: pool)
                let error = ReferenceSpMM.relativeError(out, reference: reference.output)
                #expect(error <= ComputePrecision.fp32.relativeTolerance, "\(isa) \(pattern) L=\(length) d=\(headSize): \(error)")
                for i in 0..<length where acsr.rowLength[i] == 0 {
                    for h in 0..<heads { #expect(out[((h * length + i) * headSize)..<((h * length + i + 1) * headSize)].allSatisfy { $0 == 0 }) }
                }
            }
        }
    }

    /// Strided rows (an interleaved [tokens][heads x d] layout) and a row range: only the rows
    /// asked for are written, only their first `headSize` floats.
    @Test func stridedHeadAndRowRange() throws {
        let length = 70, d = 20, ld = 3 * d + 1, outLD = d + 5
        let acsr = try ACSR(.globalWindow(2, 10), length: length)
        let q = Self.operands(length * ld, seed: 1), k = Self.operands(length * ld, seed: 2), v = Self.operands(length * ld, seed: 3)
        // The head's own rows, packed, for the reference.
        func packed(_ x: [Float]) -> [Float] { (0..<length).flatMap { x[($0 * ld + d)..<($0 * ld + 2 * d)] } }
        let reference = try ReferenceAttention(q: packed(q), k: packed(k), v: packed(v), pattern: acsr, batchHeads: 1, headSize: d, scale: 0.3)
        for isa in CPUISA.supported {
            var out = [Float](repeating: -7, count: length * outLD)
            q.withUnsafeBufferPointer { qb in
                k.withUnsafeBufferPointer { kb in
                    v.withUnsafeBufferPointer { vb in
                        out.withUnsafeMutableBufferPointer { ob in
                            CPUSparseAttention.head(
                                isa: isa, pattern: acsr, q: qb.baseAddress! + d, k: kb.baseAddress! + d, v: vb.baseAddress! + d, ld: ld,
                                out: ob.baseAddress!, outLD: outLD, headSize: d, scale: 0.3, rows: 5..<61)
                        }
                    }
                }
            }
            var got: [Float] = [], expected: [Double] = []
            for i in 0..<length {
                let row = out[(i * outLD)..<((i + 1) * outLD)]
                if (5..<61).contains(i) {
                    got += row.prefix(d)
                    expected += reference.output[(i * d)..<((i + 1) * d)]
                    #expect(row.suffix(outLD - d).allSatisfy { $0 == -7 }, "\(isa): padding of row \(i) written")
                } else {
                    #expect(row.allSatisfy { $0 == -7 }, "\(isa): row \(i) outside the range written")
                }
            }
            #expect(ReferenceSpMM.relativeError(got, reference: expected) <= ComputePrecision.fp32.relativeTolerance, "\(isa)")
        }
    }

    @Test func shapeErrors() throws {
        let acsr = try ACSR(.window(2), length: 4)
        #expect(throws: SparseFormatError.shapeMismatch(operation: "attention V [batchHeads][L][d]", left: [1, 4, 2], right: [7])) {
            try CPUSparseAttention.attention(q: [Float](repeating: 0, count: 8), k: [Float](repeating: 0, count: 8), v: [Float](repeating: 0, count: 7), pattern: acsr, batchHeads: 1, headSize: 2)
        }
        let empty = try ACSR(.window(2), length: 0)
        #expect(try CPUSparseAttention.attention(q: [], k: [], v: [], pattern: empty, batchHeads: 2, headSize: 8) == [])
    }
}
