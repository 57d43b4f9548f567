import CPUKernels
import Runtime

extension BertEncoder {
    /// Floats of scratch one piece of attention's work uses for texts of up to `longest` tokens
    /// (the dense mask path allocates its own).
    func attentionScratch(longest: Int) -> Int {
        switch attentionMode {
        case .dense: CPUEncoderKernels.attentionScratchCount(length: longest)
        case .sparse: SparseAttention.scratchCount(length: longest, headSize: config.headSize)
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
        let pieceScratch = attentionScratch(longest: w.longestCapacity)
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
            let work = tokens.layouts.reduce(0) { $0 + $1.nnz } * d * heads
            inPieces(items, work: work) { item, piece in
                sparse.run(
                    isa: isa, layout: tokens.layouts[item / heads], q: q + offset(item), k: k + offset(item), v: v + offset(item), ld: ld,
                    context: context + offset(item), headSize: d, scale: scale, scratch: scratch + piece * pieceScratch)
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
