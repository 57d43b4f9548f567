import CPUKernels
import Runtime

extension BertEncoder {
    /// Floats of scratch attention uses for `tokens` tokens, the longest text `longest`: dense, a
    /// slice of scores per piece of work; sparse, Q, K, V and the context token-major (4 tokens x
    /// hidden); the dense mask path allocates its own.
    func attentionScratch(tokens: Int, longest: Int) -> Int {
        switch attentionMode {
        case .dense: attentionPieces * CPUEncoderKernels.attentionScratchCount(length: longest)
        case .sparse: 4 * tokens * config.hiddenSize
        case .denseMask: 0
        }
    }

    /// Pieces attention's (text, head) items are split into, each with its own scratch.
    var attentionPieces: Int { 4 * pool.threadCount }

    /// Scaled dot-product attention per text and head over the text's own tokens (the padding mask
    /// of a padded batch), from the workspace's Q, K, V (rows 0..<h, h..<2h, 2h..<3h of the
    /// feature-major `queryKeyValue`) into its context; the (text, head) items in pieces on the
    /// pool. With a sparse pattern only its keys (``EncoderAttention``).
    func attention(_ tokens: PackedTokens, _ w: EncoderWorkspace) {
        let h = config.hiddenSize, d = config.headSize, heads = config.headCount, ld = w.ld
        let scale = 1 / Float(d).squareRoot()
        let q = UnsafePointer(w.queryKeyValue.pointer.baseAddress!), k = q + h * ld, v = q + 2 * h * ld
        let context = w.context.pointer.baseAddress!, scratch = w.scores.pointer.baseAddress!
        let pieceScratch = CPUEncoderKernels.attentionScratchCount(length: w.longestCapacity)
        let items = tokens.lengths.count * heads
        // Rows head*d..<(head+1)*d of each part, columns start..<start+length <= tokens <= ld.
        func offset(_ item: Int) -> Int { item % heads * d * ld + tokens.starts[item / heads] }
        switch attentionMode {
        case .dense:
            let work = tokens.lengths.reduce(0) { $0 + $1 * $1 } * d * heads
            inPieces(items, work: work) { item, piece in
                // The piece's scratch is its own pieceScratch floats (piece < attentionPieces).
                CPUEncoderKernels.attention(
                    isa: isa, q: q + offset(item), k: k + offset(item), v: v + offset(item), context: context + offset(item), ld: ld,
                    headSize: d, length: tokens.lengths[item / heads], scale: scale, scratch: scratch + piece * pieceScratch)
            }
        case .sparse(let sparse):
            // Token-major copies (token t's row: its Q, K, V for every head, then apart its
            // context), the fused kernel over every (text, head) in row blocks, the context back.
            let m = tokens.count, qkv = scratch, out = scratch + 3 * h * m
            parallelRanges(m, cost: 3 * h) { range in
                for r in 0..<(3 * h) { for t in range { qkv[t * 3 * h + r] = q[r * ld + t] } }
            }
            sparse.run(
                layouts: tokens.layouts, starts: tokens.starts, heads: heads, headSize: d, scale: scale, q: qkv, k: qkv + h, v: qkv + 2 * h,
                ld: 3 * h, context: out, contextLD: h, isa: isa, pool: pool)
            parallelRanges(m, cost: h) { range in
                for f in 0..<h { for t in range { context[f * ld + t] = out[t * h + f] } }
            }
        case .denseMask(let masked):
            // One item at a time: the GEMMs inside use the BLAS library's own threads.
            for item in 0..<items {
                masked.runDenseMask(
                    length: tokens.lengths[item / heads], q: q + offset(item), k: k + offset(item), v: v + offset(item), ld: ld,
                    context: context + offset(item), headSize: d, scale: scale, gemm: gemm)
            }
        }
    }

    /// Runs `body(item, piece)` for every item, the items cut into contiguous pieces on the pool
    /// when the work (multiply-adds) pays for waking it.
    private func inPieces(_ items: Int, work: Int, _ body: (Int, Int) -> Void) {
        let pieces = work >= 1 << 16 ? min(items, attentionPieces) : 1
        pool.run(items: pieces) { piece in
            for item in (items * piece / pieces)..<(items * (piece + 1) / pieces) { body(item, piece) }
        }
    }
}
