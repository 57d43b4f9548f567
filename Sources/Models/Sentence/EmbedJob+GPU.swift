import Foundation
import Runtime
import SparseFormats
import SparseIO

extension EmbedJob {
    /// The GPU path: loads the model onto the device, plans each (batch, bucket) when first used
    /// (measured, or all cuBLAS for `linear: .dense`), embeds, writes the `.npy` if asked.
    func runOnGPU() throws -> Result {
        guard linear == .auto || linear == .measure || linear == .dense else {
            throw Refusal(description: "--device gpu takes --linear auto, measure or dense (the GPU planner measures SpMM against cuBLAS)")
        }
        guard planFile == nil else { throw Refusal(description: "--plan-file is the CPU planner's; the GPU path measures per batch shape") }
        let started = ContinuousClock.now
        let encoder = try GPUSentenceEncoder(folder: model, device: try GPUDevice(), type: gpuType, measurePlan: linear != .dense)
        let loaded = ContinuousClock.now
        let embeddings = try encoder.embed(texts, batchSize: batchSize)
        let finished = ContinuousClock.now
        let dimension = encoder.encoder.config.hiddenSize
        if let npy {
            try NPY.write(AnyDenseTensor(shape: [embeddings.count, dimension], values: embeddings.flatMap { $0 }), to: npy)
        }
        // Each layer's kernel in the last planned session (cuBLAS: dense).
        var kernels: [String: String] = [:]
        for entry in encoder.entries { kernels[entry.layer] = entry.kernel }
        let layers = encoder.encoder.linears.map {
            LayerChoice(
                name: $0.name, shape: [$0.outputs, $0.inputs], sparsity: $0.sparsity,
                kernel: (kernels[$0.name] ?? "cublas") == "cublas" ? .dense : .sparse, block: nil)
        }
        return Result(
            model: model, dimension: dimension, embeddings: embeddings, layers: layers,
            loadSeconds: (loaded - started).seconds, embedSeconds: (finished - loaded).seconds, measured: nil)
    }
}
