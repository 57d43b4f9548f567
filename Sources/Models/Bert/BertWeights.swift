import Foundation
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

    /// Query, key and value stacked into one layer (`3 hidden x hidden`, bias likewise), so one
    /// product over the layer's input gives all three: named `...attention.self.qkv.weight`.
    package var queryKeyValue: LinearWeights {
        let name = query.name.replacingOccurrences(of: "attention.self.query.weight", with: "attention.self.qkv.weight")
        let w = query.weight
        // Three matrices of the same shape (checked on load): the stack is valid by construction.
        let stacked = try! DenseMatrix(
            rows: 3 * w.rows, columns: w.columns, storage: query.weight.storage + key.weight.storage + value.weight.storage)
        return LinearWeights(name: name, weight: stacked, bias: query.bias + key.bias + value.bias)
    }
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
