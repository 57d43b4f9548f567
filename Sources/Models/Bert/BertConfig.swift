/// The shape of a BERT-family encoder, from its `config.json` (Hugging Face's `BertConfig`).
package struct BertConfig: Sendable, Hashable, Codable {
    package var hiddenSize: Int
    package var layerCount: Int
    package var headCount: Int
    package var intermediateSize: Int
    package var layerNormEpsilon: Double
    /// Only `gelu` (exact, with erf) is implemented.
    package var hiddenActivation: String
    package var maxPositions: Int
    package var vocabularySize: Int
    package var typeVocabularySize: Int
    /// Only `absolute` is implemented.
    package var positionEmbeddingType: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case layerNormEpsilon = "layer_norm_eps"
        case hiddenActivation = "hidden_act"
        case maxPositions = "max_position_embeddings"
        case vocabularySize = "vocab_size"
        case typeVocabularySize = "type_vocab_size"
        case positionEmbeddingType = "position_embedding_type"
    }

    package init(
        hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int, layerNormEpsilon: Double = 1e-12,
        hiddenActivation: String = "gelu", maxPositions: Int = 512, vocabularySize: Int, typeVocabularySize: Int = 2,
        positionEmbeddingType: String = "absolute"
    ) {
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.layerNormEpsilon = layerNormEpsilon
        self.hiddenActivation = hiddenActivation
        self.maxPositions = maxPositions
        self.vocabularySize = vocabularySize
        self.typeVocabularySize = typeVocabularySize
        self.positionEmbeddingType = positionEmbeddingType
    }

    /// Fields Hugging Face defaults when absent default the same way here.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        layerCount = try c.decode(Int.self, forKey: .layerCount)
        headCount = try c.decode(Int.self, forKey: .headCount)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        layerNormEpsilon = try c.decodeIfPresent(Double.self, forKey: .layerNormEpsilon) ?? 1e-12
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu"
        maxPositions = try c.decodeIfPresent(Int.self, forKey: .maxPositions) ?? 512
        vocabularySize = try c.decode(Int.self, forKey: .vocabularySize)
        typeVocabularySize = try c.decodeIfPresent(Int.self, forKey: .typeVocabularySize) ?? 2
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
    }

    /// Features per attention head.
    package var headSize: Int { hiddenSize / headCount }

    /// Reads and checks a model folder's `config.json`.
    package init(folder: ModelFolder) throws(ModelError) {
        self = try folder.decode(BertConfig.self, from: "config.json")
        try validate(path: folder.configPath)
    }

    /// Refuses what the encoder does not implement, naming the field.
    package func validate(path: String) throws(ModelError) {
        func refuse(_ field: String, _ value: Any) -> ModelError { ModelError(path: path, .unsupported(field: field, value: "\(value)")) }
        for (field, value) in [
            ("hidden_size", hiddenSize), ("num_hidden_layers", layerCount), ("num_attention_heads", headCount),
            ("intermediate_size", intermediateSize), ("max_position_embeddings", maxPositions), ("vocab_size", vocabularySize),
            ("type_vocab_size", typeVocabularySize),
        ] where value < 1 || value > 1 << 20 {
            throw refuse(field, value)
        }
        guard hiddenSize % headCount == 0 else { throw refuse("num_attention_heads", "\(headCount) (does not divide hidden_size \(hiddenSize))") }
        guard hiddenActivation == "gelu" else { throw refuse("hidden_act", "'\(hiddenActivation)' (only exact gelu)") }
        guard positionEmbeddingType == "absolute" else { throw refuse("position_embedding_type", "'\(positionEmbeddingType)'") }
        guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else { throw refuse("layer_norm_eps", layerNormEpsilon) }
    }
}
