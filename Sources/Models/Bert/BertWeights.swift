import SparseFormats
import SparseIO

/// LayerNorm's scale and shift.
package struct LayerNormWeights: Sendable, Hashable {
    package var gamma: [Float]
    package var beta: [Float]
}

/// A linear layer's checkpoint tensors: `weight` is `outputs x inputs` (PyTorch's layout), `bias`
/// one value per output.
package struct LinearWeights: Sendable, Hashable {
    /// The checkpoint name of the weight (`encoder.layer.0.attention.self.query.weight`).
    package var name: String
    package var weight: DenseMatrix<Float>
    package var bias: [Float]
}

/// One transformer layer's tensors.
package struct BertLayerWeights: Sendable, Hashable {
    package var query: LinearWeights
    package var key: LinearWeights
    package var value: LinearWeights
    package var attentionOutput: LinearWeights
    package var attentionNorm: LayerNormWeights
    package var intermediate: LinearWeights
    package var output: LinearWeights
    package var outputNorm: LayerNormWeights

    /// The six linear layers, in the order the forward pass runs them.
    package var linears: [LinearWeights] { [query, key, value, attentionOutput, intermediate, output] }
}

/// A BERT encoder's tensors, widened to Float32, checked against the configuration.
package struct BertWeights: Sendable, Hashable {
    package var config: BertConfig
    /// `vocabularySize x hiddenSize`, row-major.
    package var wordEmbeddings: [Float]
    /// `maxPositions x hiddenSize`.
    package var positionEmbeddings: [Float]
    /// `typeVocabularySize x hiddenSize`.
    package var tokenTypeEmbeddings: [Float]
    package var embeddingNorm: LayerNormWeights
    package var layers: [BertLayerWeights]
}
