import Models

/// Sentence embeddings from a sentence-transformers BERT model folder (`config.json`,
/// `model.safetensors`, `tokenizer.json`; all-MiniLM-L6-v2 and the like), on the CPU in Float32:
/// Hugging Face's tokenization, the encoder, mean pooling and L2 normalisation. Linear layers with
/// at least 70% of their weights zero (a model pruned with `sparrow prune`) run on Sparrow's sparse
/// kernels, the others on dense GEMM.
///
/// ```swift
/// let embedder = try SentenceEmbedder(modelFolder: "all-MiniLM-L6-v2")
/// let vectors = try embedder.embed(["A man is eating food.", "A man is eating a piece of bread."])
/// ```
public struct SentenceEmbedder: Sendable {
    let encoder: SentenceEncoder

    /// Loads the folder; `weights` replaces its `model.safetensors` (a pruned copy, say).
    /// - Throws: an error naming the file and the defect (a missing or mis-shaped tensor, an
    ///   unsupported configuration or tokenizer component).
    public init(modelFolder: String, weights: String? = nil) throws {
        encoder = try SentenceEncoder(folder: modelFolder, weights: weights)
    }

    /// Where `scripts/get-model.sh` puts a model: `$SPARROW_CACHE_DIR/models/NAME`, else
    /// `$XDG_CACHE_HOME/sparrow/models/NAME`, else `~/.cache/sparrow/models/NAME`.
    public static func cachedModelFolder(_ name: String = "all-MiniLM-L6-v2") -> String { ModelFolder.cached(name) }

    /// Floats per embedding (the model's hidden size).
    public var dimension: Int { encoder.encoder.config.hiddenSize }

    /// The longest input in tokens, special tokens included; longer texts are truncated.
    public var maxLength: Int { encoder.tokenizer.maxLength }

    /// How many linear layers run on the sparse kernels, of how many.
    public var sparseLayers: (sparse: Int, total: Int) {
        let layers = encoder.encoder.linearLayers
        return (layers.filter { $0.kernel == .sparse }.count, layers.count)
    }

    /// One embedding of ``dimension`` floats per text, in order, `batchSize` texts per pass.
    public func embed(_ texts: [String], batchSize: Int = 32) throws -> [[Float]] {
        try encoder.embed(texts, batchSize: max(1, batchSize))
    }
}
