import CPUKernels
import SparseFormats
import Testing
@testable import Runtime

/// The SparseAttention layer over a packed batch of texts (sparse, token-major) and per (text,
/// head) through the dense mask (feature-major, the encoder's layout), against the Float64
/// reference through the one Verifier.
@Suite struct SparseAttentionLayerTests {
    static let lengths = [37, 1, 20, 64]

    @Test(arguments: [
        (AttentionPattern.window(6), 8), (.causalWindow(0), 4), (.globalWindow(2, 4), 32), (.causalWindow(5), 3),
        (.union([.blocked(8), .dilated(12, stride: 5)]), 17),
    ])
    func packedBatchMatchesTheReference(pattern: AttentionPattern, headSize d: Int) throws {
        let layer = try SparseAttention(pattern), heads = 2, scale: Float = 0.4
        let layouts = try Self.lengths.map { try layer.layout(length: $0) }
        let starts = Self.lengths.indices.map { Self.lengths.prefix($0).reduce(0, +) }, tokens = Self.lengths.reduce(0, +)
        let ld = heads * d + 3, contextLD = heads * d + 1
        var generator = SeededGenerator(seed: UInt64(d))
        let q: [Float] = (0..<(tokens * ld)).map { _ in generator.nextSignedUnitFloat() * 3 }
        let k: [Float] = (0..<(tokens * ld)).map { _ in generator.nextSignedUnitFloat() }
        let v: [Float] = (0..<(tokens * ld)).map { _ in generator.nextSignedUnitFloat() }
        /// Text x's head h of an operand, token-major n x d.
        func slice(_ a: [Float], _ x: Int, _ h: Int, stride: Int) -> [Float] {
            var out: [Float] = []
            for i in 0..<Self.lengths[x] {
                let first = (starts[x] + i) * stride + h * d
                out += a[first..<(first + d)]
            }
            return out
        }
        var reference: [Double] = []
        for x in Self.lengths.indices {
            for h in 0..<heads {
                reference += try ReferenceAttention(
                    q: slice(q, x, h, stride: ld), k: slice(k, x, h, stride: ld), v: slice(v, x, h, stride: ld), pattern: layouts[x],
                    batchHeads: 1, headSize: d, scale: Double(scale)
                ).output
            }
        }
        let verifier = Verifier(reference: reference)
        for pool in [CPUWorkerPool(threads: 1), .shared] {
            var context = [Float](repeating: .nan, count: tokens * contextLD)
            q.withUnsafeBufferPointer { qb in
                k.withUnsafeBufferPointer { kb in
                    v.withUnsafeBufferPointer { vb in
                        context.withUnsafeMutableBufferPointer { cb in
                            layer.run(
                                layouts: layouts, starts: starts, heads: heads, headSize: d, scale: scale, q: qb.baseAddress!, k: kb.baseAddress!,
                                v: vb.baseAddress!, ld: ld, context: cb.baseAddress!, contextLD: contextLD, pool: pool)
                        }
                    }
                }
            }
            let got = Self.lengths.indices.flatMap { x in (0..<heads).flatMap { slice(context, x, $0, stride: contextLD) } }
            let verdict = verifier.check(got, precision: .fp32)
            #expect(verdict.isCorrect, "\(pattern) d=\(d): \(verdict.failure ?? "")")
            #expect((0..<tokens).allSatisfy { context[$0 * contextLD + heads * d].isNaN }, "a row's padding written")
        }
        // The dense mask path, one (text, head) at a time, feature-major with rows n + 5 apart.
        for x in Self.lengths.indices {
            let n = Self.lengths[x], fld = n + 5
            func featureMajor(_ a: [Float]) -> [Float] {
                (0..<(d * fld)).map { $0 % fld < n ? a[($0 % fld) * d + $0 / fld] : .nan }
            }
            for h in 0..<heads {
                let fq = featureMajor(slice(q, x, h, stride: ld)), fk = featureMajor(slice(k, x, h, stride: ld))
                let fv = featureMajor(slice(v, x, h, stride: ld))
                var context = [Float](repeating: .nan, count: d * fld)
                fq.withUnsafeBufferPointer { qb in
                    fk.withUnsafeBufferPointer { kb in
                        fv.withUnsafeBufferPointer { vb in
                            context.withUnsafeMutableBufferPointer { cb in
                                layer.runDenseMask(
                                    length: n, q: qb.baseAddress!, k: kb.baseAddress!, v: vb.baseAddress!, ld: fld, context: cb.baseAddress!,
                                    headSize: d, scale: scale, gemm: .shared)
                            }
                        }
                    }
                }
                let expected = try ReferenceAttention(
                    q: slice(q, x, h, stride: ld), k: slice(k, x, h, stride: ld), v: slice(v, x, h, stride: ld), pattern: layouts[x],
                    batchHeads: 1, headSize: d, scale: Double(scale)
                ).output
                let got = (0..<n).flatMap { i in (0..<d).map { context[$0 * fld + i] } }
                let verdict = Verifier(reference: expected).check(got, precision: .fp32)
                #expect(verdict.isCorrect, "dense mask \(pattern) text \(x) head \(h): \(verdict.failure ?? "")")
            }
        }
    }
}
