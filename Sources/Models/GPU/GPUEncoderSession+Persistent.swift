import CUDA
import KernelGen
import Runtime

/// The persistent form's device memory for one session: the kernel's private activations and
/// timeline (``EncoderKernels/persistentWorkspace(hidden:intermediate:tokens:layers:)``,
/// zeroed once), the buffer zeroed before every launch (the grid barrier's counter and the pooled
/// sums: ``EncoderKernels/persistentZeroedWords(batch:hidden:)``) and the per-layer table
/// of weight addresses.
final class PersistentResources {
    let workspace: DeviceBuffer<UInt8>
    /// Where the timeline starts in `workspace`.
    let timelineOffset: Int
    let barrier: DeviceBuffer<UInt32>
    let table: DeviceBuffer<UInt64>

    init(workspace: DeviceBuffer<UInt8>, timelineOffset: Int, barrier: DeviceBuffer<UInt32>, table: DeviceBuffer<UInt64>) {
        self.workspace = workspace
        self.timelineOffset = timelineOffset
        self.barrier = barrier
        self.table = table
    }
}

extension GPUEncoderSession {
    /// The whole forward as one launch of the persistent kernel, a block per SM, after a memset of
    /// its barrier counter (two nodes of the graph): token ids, types and mask in, pooled
    /// embeddings out, every layer's W read dense (fp16).
    func persistentStep(config: EncoderPersistentConfig) throws -> () throws -> Void {
        let device = encoder.device, b = buffers
        let hidden = encoder.config.hiddenSize, intermediate = encoder.config.intermediateSize
        let resources = try persistentResources ?? {
            let (offsets, bytes) = EncoderKernels.persistentWorkspace(
                hidden: hidden, intermediate: intermediate, tokens: tokens, layers: encoder.layers.count)
            let workspace = try DeviceBuffer<UInt8>(context: device.context, count: bytes)
            try workspace.fillBytes(0)
            var table: [UInt64] = []
            for layer in encoder.layers {
                func dense(_ linear: GPULinear) throws -> UInt64 {
                    guard let dense = linear.dense else { throw CUDAError.invalidArgument("\(linear.name): no dense W for the persistent kernel") }
                    return dense.address
                }
                table += [
                    try dense(layer.queryKeyValue), layer.queryKeyValue.bias.address, try dense(layer.attentionOutput),
                    layer.attentionOutput.bias.address, layer.attentionNorm.gamma.address, layer.attentionNorm.beta.address,
                    try dense(layer.intermediate), layer.intermediate.bias.address, try dense(layer.output), layer.output.bias.address,
                    layer.outputNorm.gamma.address, layer.outputNorm.beta.address,
                ]
            }
            precondition(table.count == EncoderKernels.persistentTableEntries * encoder.layers.count)
            let made = PersistentResources(
                workspace: workspace, timelineOffset: offsets[6],
                barrier: try DeviceBuffer(
                    context: device.context,
                    count: EncoderKernels.persistentZeroedWords(batch: batch, hidden: hidden)),
                table: try DeviceBuffer(context: device.context, copying: table))
            persistentResources = made
            return made
        }()
        let kernel = try EncoderKernels.persistentEncoder(
            encoder.shape(bucket: bucket), layers: encoder.layers.count, intermediate: intermediate, batch: batch,
            blocks: device.properties.multiprocessorCount, config: config)
        let prepared = try device.prepare(kernel, arguments: [
            .buffer(b.ids), .buffer(b.typeIDs), .buffer(b.mask), .buffer(encoder.wordEmbeddings), .buffer(encoder.positionEmbeddings),
            .buffer(encoder.tokenTypeEmbeddings), .buffer(encoder.embeddingNorm.gamma), .buffer(encoder.embeddingNorm.beta),
            .buffer(resources.table), .buffer(resources.workspace), .buffer(resources.barrier), .buffer(b.pooled),
        ])
        return {
            try resources.barrier.fillBytes(0, stream: device.stream)
            try prepared.launch()
        }
    }
}

extension GPUEncoderSession {
    /// The kind each stage of the persistent kernel's timeline counts as (its GEMM stages are
    /// linear layers; attention; the LayerNorms; embeddings and pooling are other).
    static func kind(ofPersistentStage stage: String) -> EncoderStepKind {
        switch stage {
        case "qkv", "output", "up", "down": .linear
        case "attend": .attention
        case "norm1", "norm2": .norms
        default: .other
        }
    }

    /// Milliseconds of every stage of the persistent kernel in order
    /// (``EncoderKernels/persistentStages(layers:)``), the mean of `passes` runs of the graph: the
    /// kernel's own timeline (block 0's clock after each grid barrier), so a stage's time includes
    /// waiting for the slowest block at its barrier; the launch before the first mark is not
    /// counted.
    package func persistentTimeline(passes: Int) throws -> [(stage: String, ms: Double)] {
        guard form.persistent != nil, let resources = persistentResources else {
            throw CUDAError.invalidArgument("persistent timeline: the session is not prepared in a persistent form")
        }
        let stages = EncoderKernels.persistentStages(layers: encoder.layers.count)
        var sums = [Double](repeating: 0, count: stages.count)
        for _ in 0..<max(passes, 1) {
            try launch()
            try encoder.device.stream.synchronize()
            // Only the timeline's bytes (one little-endian UInt64 a mark), not the whole workspace.
            let bytes = try resources.workspace.download(resources.timelineOffset..<resources.timelineOffset + 8 * (stages.count + 1))
            let marks: [UInt64] = bytes.withUnsafeBytes { raw in
                (0...stages.count).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)) }
            }
            for index in stages.indices { sums[index] += Double(marks[index + 1] &- marks[index]) / 1e6 }
        }
        return zip(stages, sums).map { ($0, $1 / Double(max(passes, 1))) }
    }

    /// Mean milliseconds per forward by step kind in the persistent form (``persistentTimeline(passes:)``).
    func persistentProfile(passes: Int) throws -> [EncoderStepKind: Double] {
        try persistentTimeline(passes: passes).reduce(into: [:]) { totals, entry in
            totals[Self.kind(ofPersistentStage: entry.stage), default: 0] += entry.ms
        }
    }
}
