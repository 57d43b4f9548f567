import CPUKernels
import SparseFormats

/// Attention restricted to a regular pattern (window, dilated, global + window, blocked and their
/// unions) for an encoder's packed batch: texts end to end, each attending over its own tokens.
///
/// The pattern is laid out per text length as an ``ACSR`` (``layout(length:)``): a text of n
/// tokens gets the pattern over n tokens, so keys past the text's real length (its padding) are
/// never attended to, which is what the padding mask of a padded batch does. On the CPU
/// ``run(layouts:starts:heads:headSize:scale:q:k:v:ld:context:contextLD:isa:pool:)`` runs the
/// fused kernel (``CPUSparseAttention``) over every (text, head) in row blocks on the pool;
/// ``runDenseMask(length:q:k:v:ld:context:headSize:scale:gemm:)`` computes one (text, head)
/// densely through an explicit boolean mask, as SDPA with a mask does.
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

    /// Every text and head of a packed batch on the fused CPU kernel, token-major: token t of the
    /// batch (text `x`'s tokens are `starts[x] ..< starts[x] + layouts[x].length`) holds head
    /// `hd`'s query at `q[t * ld + hd * headSize ..< ... + headSize]` (K and V likewise), and its
    /// context is written at `context[t * contextLD + hd * headSize ...]`. Every text's rows are
    /// written (zeros for a row without keys), nothing else.
    package func run(
        layouts: [ACSR], starts: [Int], heads: Int, headSize d: Int, scale: Float, q: UnsafePointer<Float>, k: UnsafePointer<Float>,
        v: UnsafePointer<Float>, ld: Int, context: UnsafeMutablePointer<Float>, contextLD: Int, isa: CPUISA = .automatic,
        pool: CPUWorkerPool = .shared
    ) {
        precondition(layouts.count == starts.count && ld >= heads * d && contextLD >= heads * d, "SparseAttention.run: operands of \(heads) heads of \(d)")
        var items: [CPUSparseAttention.Head] = []
        for (layout, start) in zip(layouts, starts) {
            for head in 0..<heads {
                // The text's rows start..<start + length of each operand, the head's d columns.
                let offset = start * ld + head * d
                items.append(
                    CPUSparseAttention.Head(
                        layout: layout, q: q + offset, k: k + offset, v: v + offset, ld: ld, out: context + start * contextLD + head * d,
                        outLD: contextLD))
            }
        }
        CPUSparseAttention.run(items, headSize: d, scale: scale, isa: isa, pool: pool)
    }
}
