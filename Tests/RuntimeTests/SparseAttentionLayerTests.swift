import CPUKernels
import SparseFormats
import Testing
@testable import Runtime

/// The SparseAttention layer over feature-major operands (the encoder's layout), sparse and
/// through the dense mask, against the Float64 reference through the one Verifier.
@Suite struct SparseAttentionLayerTests {
    @Test(arguments: [
        (AttentionPattern.window(6), 37, 8), (.causalWindow(0), 9, 4), (.globalWindow(2, 4), 65, 32), (.causalWindow(5), 1, 3),
        (.union([.blocked(8), .dilated(12, stride: 5)]), 90, 17),
    ])
    func featureMajorHeadMatchesTheReference(pattern: AttentionPattern, length n: Int, headSize d: Int) throws {
        let layer = try SparseAttention(pattern), layout = try layer.layout(length: n)
        let ld = n + 5, scale: Float = 0.4
        var generator = SeededGenerator(seed: UInt64(n * d))
        // Feature-major: d rows of n tokens, rows ld apart (the padding columns hold junk).
        let q: [Float] = (0..<(d * ld)).map { _ in generator.nextSignedUnitFloat() * 3 }
        let k: [Float] = (0..<(d * ld)).map { _ in generator.nextSignedUnitFloat() }
        let v: [Float] = (0..<(d * ld)).map { _ in generator.nextSignedUnitFloat() }
        func tokenMajor(_ x: [Float]) -> [Float] { (0..<n).flatMap { i in (0..<d).map { x[$0 * ld + i] } } }
        let reference = try ReferenceAttention(
            q: tokenMajor(q), k: tokenMajor(k), v: tokenMajor(v), pattern: layout, batchHeads: 1, headSize: d, scale: Double(scale))
        let verifier = Verifier(reference: reference.output)
        for path in ["sparse", "dense mask"] {
            var context = [Float](repeating: .nan, count: d * ld)
            var scratch = [Float](repeating: .nan, count: SparseAttention.scratchCount(length: n, headSize: d))
            q.withUnsafeBufferPointer { qb in
                k.withUnsafeBufferPointer { kb in
                    v.withUnsafeBufferPointer { vb in
                        context.withUnsafeMutableBufferPointer { cb in
                            scratch.withUnsafeMutableBufferPointer { sb in
                                if path == "sparse" {
                                    layer.run(
                                        isa: .automatic, layout: layout, q: qb.baseAddress!, k: kb.baseAddress!, v: vb.baseAddress!, ld: ld,
                                        context: cb.baseAddress!, headSize: d, scale: scale, scratch: sb.baseAddress!)
                                } else {
                                    layer.runDenseMask(
                                        length: n, q: qb.baseAddress!, k: kb.baseAddress!, v: vb.baseAddress!, ld: ld,
                                        context: cb.baseAddress!, headSize: d, scale: scale, gemm: .shared)
                                }
                            }
                        }
                    }
                }
            }
            let verdict = verifier.check(tokenMajor(context), precision: .fp32)
            #expect(verdict.isCorrect, "\(path) \(pattern) n=\(n) d=\(d): \(verdict.failure ?? "")")
            for f in 0..<d { #expect(context[(f * ld + n)..<((f + 1) * ld)].allSatisfy { $0.isNaN }, "\(path): padding columns written") }
        }
    }
}
