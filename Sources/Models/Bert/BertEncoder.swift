import CPUKernels
import SparseFormats

/// A BERT encoder on the CPU in Float32: embeddings, `layerCount` transformer layers whose linear
/// layers run dense or sparse as a ``LinearPlan`` says, then mean pooling over each text's tokens
/// and L2 normalisation (sentence-transformers' pooling for all-MiniLM-L6-v2).
///
/// Texts are packed without padding: every per-token step (linear layers, LayerNorm, GELU) runs
/// over the real tokens of the batch only, and attention runs per text over its own tokens, which
/// is what the padding mask makes of a padded batch. Activations are feature-major inside (see
/// ``embed(_:workspace:normalize:)``).
package struct BertEncoder: Sendable {
    package let config: BertConfig
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    let tokenTypeEmbeddings: [Float]
    let embeddingNorm: LayerNormWeights
    let layers: [Layer]
    let pool: CPUWorkerPool
    let gemm: DenseGEMM
    /// Attention's instruction-set path.
    let isa = CPUISA.automatic
    /// Which keys attention uses (``EncoderAttention``).
    package let attentionMode: EncoderAttention

    struct Layer: Sendable {
        /// Q, K and V in one product: `tokens x 3 hidden`.
        var queryKeyValue, attentionOutput: LinearLayer
        var attentionNorm: LayerNormWeights
        var intermediate, output: LinearLayer
        var outputNorm: LayerNormWeights

        var linears: [LinearLayer] { [queryKeyValue, attentionOutput, intermediate, output] }
    }

    /// Prepares every linear layer with the kernel `plan` gives it; `attention` picks dense
    /// attention (BERT's) or a sparse pattern.
    package init(
        _ weights: BertWeights, plan: LinearPlan = LinearPlan(), attention: EncoderAttention = .dense, pool: CPUWorkerPool = .shared,
        gemm: DenseGEMM = .shared
    ) throws(ModelError) {
        config = weights.config
        wordEmbeddings = weights.wordEmbeddings
        positionEmbeddings = weights.positionEmbeddings
        tokenTypeEmbeddings = weights.tokenTypeEmbeddings
        embeddingNorm = weights.embeddingNorm
        var layers: [Layer] = []
        for layer in weights.layers {
            func linear(_ w: LinearWeights) throws(ModelError) -> LinearLayer { try LinearLayer(w, plan: plan, pool: pool) }
            layers.append(
                Layer(
                    queryKeyValue: try linear(layer.queryKeyValue),
                    attentionOutput: try linear(layer.attentionOutput), attentionNorm: layer.attentionNorm,
                    intermediate: try linear(layer.intermediate), output: try linear(layer.output), outputNorm: layer.outputNorm))
        }
        self.layers = layers
        self.pool = pool
        self.gemm = gemm
        attentionMode = attention
    }

    /// Every linear layer in forward order, with its shape, sparsity and kernel (query, key and value
    /// stacked into one, `...attention.self.qkv.weight`).
    package var linearLayers: [LinearLayer] { layers.flatMap(\.linears) }
}
