import CPUKernels
import SparseFormats

/// Attention restricted to a regular pattern (window, dilated, global + window, blocked and their
/// unions), for an encoder over feature-major activations: per (text, head), Q, K and V are
/// `headSize` rows of `length` columns (the text's tokens), rows `ld` floats apart, and the
/// context is written the same way.
///
/// The pattern is laid out per text length as an ``ACSR`` (``layout(length:)``): a text of n
/// tokens gets the pattern over n tokens, so keys past the text's real length (its padding) are
/// never attended to, which is what the padding mask of a padded batch does. On the CPU
/// ``run(isa:layout:q:k:v:ld:context:headSize:scale:scratch:)`` copies the head's Q, K, V
/// token-major into scratch (O(n d), against O(nnz d) of attention), runs the fused kernel
/// (``CPUSparseAttention``) and copies the context back. ``runDenseMask(layout:q:k:v:ld:context:headSize:scale:gemm:)``
/// computes the same attention densely through an explicit boolean mask, as SDPA with a mask does.
package struct SparseAttention: Sendable, Hashable {
    package let pattern: AttentionPattern
    /// The most segments a row of a layout may take (``ACSR/init(_:length:maxSegmentsPerRow:)``).
    package let maxSegmentsPerRow: Int

    /// Checks the pattern's parameters.
    package init(_ pattern: AttentionPattern, maxSegmentsPerRow: Int = ACSR.defaultMaxSegmentsPerRow) throws(AttentionPatternError) {
        try pattern.validate()
        self.pattern = pattern
        self.maxSegmentsPerRow = maxSegmentsPerRow
    }

    /// The pattern over a text of `length` tokens.
    package func layout(length: Int) throws(ACSRError) -> ACSR {
        try ACSR(pattern, length: length, maxSegmentsPerRow: maxSegmentsPerRow)
    }

    /// Floats of scratch one ``run(isa:layout:q:k:v:ld:context:headSize:scale:scratch:)`` over
    /// `length` tokens needs: Q, K, V and the context token-major.
    package static func scratchCount(length: Int, headSize: Int) -> Int { 4 * length * headSize }

    /// One (text, head) on the fused CPU kernel. `layout` is this text's (`layout.length` tokens);
    /// `scratch` holds ``scratchCount(length:headSize:)`` floats not shared with another call.
    /// Only columns `0..<layout.length` of the context rows are written.
    package func run(
        isa: CPUISA, layout: ACSR, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ld: Int,
        context: UnsafeMutablePointer<Float>, headSize d: Int, scale: Float, scratch: UnsafeMutablePointer<Float>
    ) {
        let n = layout.length
        precondition(ld >= n, "SparseAttention.run: row stride \(ld) below length \(n)")
        // Scratch: Q, K, V, context, each n x d token-major (4 n d floats, as scratchCount says).
        let qt = scratch, kt = scratch + n * d, vt = scratch + 2 * n * d, out = scratch + 3 * n * d
        for f in 0..<d {
            for i in 0..<n {
                qt[i * d + f] = q[f * ld + i]
                kt[i * d + f] = k[f * ld + i]
                vt[i * d + f] = v[f * ld + i]
            }
        }
        CPUSparseAttention.head(
            isa: isa, pattern: layout, q: qt, k: kt, v: vt, ld: d, out: out, outLD: d, headSize: d, scale: scale, rows: 0..<n)
        for f in 0..<d { for i in 0..<n { context[f * ld + i] = out[i * d + f] } }
    }
}
