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

    /// Every activation buffer is feature-major: a row per feature, a column per token, rows `ld`
    /// floats apart (the batch's tokens padded as the sparse kernels like X's rows,
    /// ``CPUSpMMPlan/paddedWidth(_:)``); set by ``reserve(tokens:texts:longest:for:)`` per batch.
    private(set) var ld = 0
    /// `hidden x ld` each: the layer's input and output, attention's context, a scratch.
    var hidden = Buffer(), context = Buffer(), scratch = Buffer()
    /// `3 hidden x ld`: Q, K and V, one above the other.
    var queryKeyValue = Buffer()
    /// `intermediate x ld`.
    var intermediate = Buffer()
    /// Attention's scratch (``BertEncoder/attentionScratch(tokens:longest:)``).
    var scores = Buffer()
    /// When set, every forward pass adds its time by layer kind here (`--profile`).
    package var profile: EncoderProfile?

    package init() {}

    /// Makes every buffer large enough for `tokens` tokens in `texts` texts, the longest `longest`.
    func reserve(tokens: Int, texts: Int, longest: Int, for encoder: BertEncoder) {
        ld = CPUSpMMPlan.paddedWidth(tokens)
        guard tokens > tokenCapacity || texts > textCapacity || longest > longestCapacity else { return }
        tokenCapacity = max(tokens, tokenCapacity)
        textCapacity = max(texts, textCapacity)
        longestCapacity = max(longest, longestCapacity)
        let config = encoder.config
        // paddedWidth grows with the tokens, so every later batch's ld fits these buffers.
        let rows = CPUSpMMPlan.paddedWidth(tokenCapacity) * config.hiddenSize
        for buffer in [hidden, context, scratch] { buffer.resize(rows) }
        queryKeyValue.resize(3 * rows)
        intermediate.resize(CPUSpMMPlan.paddedWidth(tokenCapacity) * config.intermediateSize)
        scores.resize(encoder.attentionScratch(tokens: tokenCapacity, longest: longestCapacity))
        allocations += 1
    }

    /// Floats owned by the workspace, zeroed when allocated.
    final class Buffer {
        private(set) var pointer = UnsafeMutableBufferPointer<Float>(start: nil, count: 0)

        /// Reallocates (64-byte aligned, so rows of a multiple of 16 floats start on cache lines).
        func resize(_ count: Int) {
            pointer.baseAddress.map { UnsafeMutableRawPointer($0).deallocate() }
            let raw = UnsafeMutableRawPointer.allocate(byteCount: max(64, count * 4), alignment: 64)
            pointer = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Float.self, capacity: count), count: count)
            pointer.initialize(repeating: 0)
        }

        deinit { pointer.baseAddress.map { UnsafeMutableRawPointer($0).deallocate() } }
    }
}
