import CPUKernels
import Foundation

extension BertEncoder {
    /// Scaled dot-product attention per text and head over the text's own tokens (the padding mask
    /// of a padded batch), from the workspace's Q, K, V into its context; one work item per
    /// (text, head) on the pool.
    func attention(_ tokens: PackedTokens, _ w: EncoderWorkspace) {
        let h = config.hiddenSize, d = config.headSize, heads = config.headCount
        let scale = 1 / Float(d).squareRoot()
        let q = w.query.pointer, k = w.key.pointer, v = w.value.pointer, context = w.context.pointer
        let scores = w.scores.pointer, stride = w.longestCapacity
        let items = tokens.lengths.count * heads
        let work = tokens.lengths.reduce(0) { $0 + $1 * $1 } * d * heads
        let body = { (item: Int) in
            let text = item / heads, head = item % heads
            let start = tokens.starts[text], length = tokens.lengths[text]
            // Rows start..<start+length of the tokens x h buffers; columns head*d..<(head+1)*d < h;
            // the item's scores are stride >= length floats of its own.
            let p = scores.baseAddress! + item * stride
            for i in 0..<length {
                let qi = q.baseAddress! + (start + i) * h + head * d
                var largest = -Float.infinity
                for j in 0..<length {
                    let kj = k.baseAddress! + (start + j) * h + head * d
                    var dot: Float = 0
                    for f in 0..<d { dot += qi[f] * kj[f] }
                    p[j] = dot * scale
                    largest = max(largest, p[j])
                }
                var sum: Float = 0
                for j in 0..<length {
                    p[j] = exp(p[j] - largest)
                    sum += p[j]
                }
                let out = context.baseAddress! + (start + i) * h + head * d
                out.update(repeating: 0, count: d)
                for j in 0..<length {
                    let vj = v.baseAddress! + (start + j) * h + head * d
                    let weight = p[j] / sum
                    for f in 0..<d { out[f] += weight * vj[f] }
                }
            }
        }
        if work >= 1 << 16 && pool.threadCount > 1 {
            pool.run(items: items, body)
        } else {
            for item in 0..<items { body(item) }
        }
    }
}
