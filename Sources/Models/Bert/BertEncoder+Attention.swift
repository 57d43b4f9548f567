import CPUKernels

extension BertEncoder {
    /// Floats of scratch one piece of attention's work uses for texts of up to `longest` tokens.
    static func attentionScratch(longest: Int) -> Int { CPUEncoderKernels.attentionScratchCount(length: longest) }

    /// Pieces attention's (text, head) items are split into, each with its own scratch.
    var attentionPieces: Int { 4 * pool.threadCount }

    /// Scaled dot-product attention per text and head over the text's own tokens (the padding mask
    /// of a padded batch), from the workspace's Q, K, V (rows 0..<h, h..<2h, 2h..<3h of the
    /// feature-major `queryKeyValue`) into its context; the (text, head) items in pieces on the pool.
    func attention(_ tokens: PackedTokens, _ w: EncoderWorkspace) {
        let h = config.hiddenSize, d = config.headSize, heads = config.headCount, ld = w.ld
        let scale = 1 / Float(d).squareRoot()
        let q = UnsafePointer(w.queryKeyValue.pointer.baseAddress!), k = q + h * ld, v = q + 2 * h * ld
        let context = w.context.pointer.baseAddress!, scratch = w.scores.pointer.baseAddress!
        let pieceScratch = Self.attentionScratch(longest: w.longestCapacity)
        let items = tokens.lengths.count * heads
        let work = tokens.lengths.reduce(0) { $0 + $1 * $1 } * d * heads
        let pieces = work >= 1 << 16 ? min(items, attentionPieces) : 1
        pool.run(items: pieces) { piece in
            for item in (items * piece / pieces)..<(items * (piece + 1) / pieces) {
                let text = item / heads, head = item % heads
                // Rows head*d..<(head+1)*d of each part, columns start..<start+length <= tokens <= ld;
                // the piece's scratch is its own pieceScratch floats (piece < attentionPieces).
                let offset = head * d * ld + tokens.starts[text]
                CPUEncoderKernels.attention(
                    isa: isa, q: q + offset, k: k + offset, v: v + offset, context: context + offset, ld: ld, headSize: d,
                    length: tokens.lengths[text], scale: scale, scratch: scratch + piece * pieceScratch)
            }
        }
    }
}
