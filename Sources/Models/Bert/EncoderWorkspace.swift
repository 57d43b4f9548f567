import CPUKernels

/// The buffers of one forward pass, allocated once for a number of tokens (all texts of a batch
/// together) and texts, and reused by every later batch that fits; a larger batch reallocates.
/// One per caller: not shareable between threads.
package final class EncoderWorkspace {
    package private(set) var tokenCapacity = 0
    package private(set) var textCapacity = 0
    package private(set) var longestCapacity = 0
    /// How many times buffers were (re)allocated; tests check reuse.
    package private(set) var allocations = 0

    /// `tokens x hidden` each: the layer's input and output, attention's context, a scratch.
    var hidden = Buffer(), context = Buffer(), scratch = Buffer()
    /// `tokens x 3 hidden`: each token's Q, K and V side by side.
    var queryKeyValue = Buffer()
    /// `tokens x intermediate`.
    var intermediate = Buffer()
    /// Attention's scratch per (text, head) work item: the head's Kᵀ and a row of scores.
    var scores = Buffer()
    var sparse = CPUSpMMWorkspace(capacity: 0)
    /// When set, every forward pass adds its time by layer kind here (`--profile`).
    package var profile: EncoderProfile?

    package init() {}

    /// Makes every buffer large enough for `tokens` tokens in `texts` texts, the longest `longest`.
    func reserve(tokens: Int, texts: Int, longest: Int, for encoder: BertEncoder) {
        guard tokens > tokenCapacity || texts > textCapacity || longest > longestCapacity else { return }
        tokenCapacity = max(tokens, tokenCapacity)
        textCapacity = max(texts, textCapacity)
        longestCapacity = max(longest, longestCapacity)
        let config = encoder.config
        let rows = tokenCapacity * config.hiddenSize
        for buffer in [hidden, context, scratch] { buffer.resize(rows) }
        queryKeyValue.resize(3 * rows)
        intermediate.resize(tokenCapacity * config.intermediateSize)
        scores.resize(textCapacity * config.headCount * encoder.attentionScratch(longest: longestCapacity))
        let sparseCount = encoder.linearLayers.map { $0.workspaceCount(m: tokenCapacity) }.max() ?? 0
        sparse = CPUSpMMWorkspace(capacity: sparseCount)
        allocations += 1
    }

    /// Floats owned by the workspace, zeroed when allocated.
    final class Buffer {
        private(set) var pointer = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

        func resize(_ count: Int) {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0)
        }

        deinit { pointer.deallocate() }
    }
}
