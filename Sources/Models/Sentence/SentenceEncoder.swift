import CPUKernels

/// A sentence-transformers model folder ready to embed text on the CPU: its tokenizer (truncating
/// at `max_seq_length`), its BERT encoder with each linear layer dense or sparse per the plan, and
/// its pooling.
package struct SentenceEncoder: Sendable {
    package let folder: ModelFolder
    package let tokenizer: BertTokenizer
    package let encoder: BertEncoder
    package let pooling: SentencePooling

    /// Loads `folder`; `weights` replaces its `model.safetensors` (a pruned copy, say); `attention`
    /// restricts attention to a pattern (``EncoderAttention``).
    package init(
        folder path: String, weights: String? = nil, plan: LinearPlan = LinearPlan(), attention: EncoderAttention = .dense,
        pool: CPUWorkerPool = .shared
    ) throws {
        folder = try ModelFolder(path)
        let config = try BertConfig(folder: folder)
        let maxLength = try folder.maxSequenceLength(fallback: config.maxPositions)
        tokenizer = try folder.tokenizer(maxLength: maxLength)
        guard tokenizer.vocabularySize <= config.vocabularySize else {
            throw ModelError(
                path: folder.tokenizerPath,
                .unsupported(field: "vocabulary", value: "\(tokenizer.vocabularySize) entries, more than config.json's vocab_size \(config.vocabularySize)"))
        }
        let loaded = try BertWeights(file: weights ?? folder.weightsPath, config: config)
        encoder = try BertEncoder(loaded, plan: plan, attention: attention, pool: pool)
        pooling = try SentencePooling(folder: folder)
    }

    /// One embedding per text (`hiddenSize` floats), in order, `batchSize` texts per forward pass;
    /// `workspace` keeps the buffers between batches and calls.
    package func embed(_ texts: [String], batchSize: Int = 32, workspace: EncoderWorkspace = EncoderWorkspace()) throws(ModelError) -> [[Float]] {
        precondition(batchSize > 0, "SentenceEncoder.embed: batchSize must be positive")
        let h = encoder.config.hiddenSize
        var out: [[Float]] = []
        out.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = tokenizer.encodeBatch(Array(texts[start..<min(start + batchSize, texts.count)]))
            let flat = try encoder.embed(batch, workspace: workspace, normalize: pooling.normalize)
            for row in 0..<batch.count { out.append(Array(flat[(row * h)..<((row + 1) * h)])) }
        }
        return out
    }
}
