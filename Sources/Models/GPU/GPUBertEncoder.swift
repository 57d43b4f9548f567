import CUDA
import KernelGen
import Runtime
import SparseFormats

/// A BERT encoder on the GPU: its weights uploaded once in one element type (fp32, or fp16 with
/// fp32 accumulation), each linear layer as CSR for Sparrow's SpMM kernels and dense for cuBLAS,
/// and one ``GPUEncoderSession`` (buffers, bound kernels, one CUDA graph) per (batch, bucket).
package final class GPUBertEncoder {
    package let config: BertConfig
    package let device: GPUDevice
    package let type: ElementType
    let cublas: CUBLASHandle
    let cublasWorkspace: DeviceBuffer<UInt8>
    let wordEmbeddings: DeviceBuffer<UInt8>
    let positionEmbeddings: DeviceBuffer<UInt8>
    let tokenTypeEmbeddings: DeviceBuffer<UInt8>
    let embeddingNorm: (gamma: DeviceBuffer<UInt8>, beta: DeviceBuffer<UInt8>)
    package let layers: [GPUEncoderLayer]

    /// One transformer layer's device weights.
    package struct GPUEncoderLayer {
        /// Queries, keys and values stacked (`3 hidden x hidden`), bias epilogue.
        package let queryKeyValue: GPULinear
        /// Attention output, bias + residual (the layer input).
        package let attentionOutput: GPULinear
        let attentionNorm: (gamma: DeviceBuffer<UInt8>, beta: DeviceBuffer<UInt8>)
        /// FFN up, bias + GELU.
        package let intermediate: GPULinear
        /// FFN down, bias + residual (the attention block's output).
        package let output: GPULinear
        let outputNorm: (gamma: DeviceBuffer<UInt8>, beta: DeviceBuffer<UInt8>)

        package var linears: [GPULinear] { [queryKeyValue, attentionOutput, intermediate, output] }
    }

    /// cuBLAS's workspace, so captured GEMMs never allocate.
    static let cublasWorkspaceBytes = 32 << 20

    package init(_ weights: BertWeights, device: GPUDevice, type: ElementType) throws {
        config = weights.config
        self.device = device
        self.type = type
        try EncoderKernels.validate(EncoderShape(
            hidden: config.hiddenSize, heads: config.headCount, bucket: 32, layerNormEpsilon: config.layerNormEpsilon, elementType: type))
        let context = device.context
        func upload(_ values: [Float]) throws -> DeviceBuffer<UInt8> {
            try DeviceBuffer(context: context, copying: ElementBytes.encode(values, as: type))
        }
        func norm(_ n: LayerNormWeights) throws -> (gamma: DeviceBuffer<UInt8>, beta: DeviceBuffer<UInt8>) {
            (try upload(n.gamma), try upload(n.beta))
        }
        func linear(_ w: LinearWeights, _ epilogue: Epilogue) throws -> GPULinear {
            try GPULinear(device: device, name: w.name, weight: w.weight, bias: w.bias, epilogue: epilogue, type: type, keepDense: true)
        }
        cublas = try CUBLASHandle(context: context, stream: device.stream)
        cublasWorkspace = try DeviceBuffer(context: context, count: Self.cublasWorkspaceBytes)
        try cublas.setWorkspace(address: cublasWorkspace.address, bytes: Self.cublasWorkspaceBytes)
        wordEmbeddings = try upload(weights.wordEmbeddings)
        positionEmbeddings = try upload(weights.positionEmbeddings)
        tokenTypeEmbeddings = try upload(weights.tokenTypeEmbeddings)
        embeddingNorm = try norm(weights.embeddingNorm)
        layers = try weights.layers.map { layer in
            GPUEncoderLayer(
                queryKeyValue: try linear(layer.queryKeyValue, .bias),
                attentionOutput: try linear(layer.attentionOutput, .biasResidual),
                attentionNorm: try norm(layer.attentionNorm),
                intermediate: try linear(layer.intermediate, .biasGELU),
                output: try linear(layer.output, .biasResidual),
                outputNorm: try norm(layer.outputNorm))
        }
    }

    /// Every linear layer, in forward order.
    package var linears: [GPULinear] { layers.flatMap(\.linears) }

    /// The kernel shapes of a (batch, bucket).
    func shape(bucket: Int) -> EncoderShape {
        EncoderShape(hidden: config.hiddenSize, heads: config.headCount, bucket: bucket, layerNormEpsilon: config.layerNormEpsilon, elementType: type,
                     maxPositions: config.maxPositions)
    }
}
