import CUDA
import KernelGen
import Runtime
import SparseFormats

/// The kinds the forward pass's time is split by.
package enum EncoderStepKind: String, Sendable, Codable, CaseIterable {
    case linear, attention, norms, other
}

/// One (batch, bucket) of a ``GPUBertEncoder``: buffers allocated once, every kernel bound to
/// them per the plan, and the whole forward (token ids on the device to pooled embeddings on the
/// device) captured into one CUDA graph.
package final class GPUEncoderSession {
    package let encoder: GPUBertEncoder
    package let batch: Int
    package let bucket: Int
    package var tokens: Int { buffers.tokens }
    let buffers: GPUBufferSet
    /// The plan the steps are bound to: layer name -> kernel.
    package private(set) var plan: [String: GPULinearKernel] = [:]
    /// The form the steps are bound in.
    package private(set) var form = GPUEncoderForm(attention: .fused)
    private var gemmAttention: GemmAttention?
    /// The persistent forms' private buffers and weight table, allocated on first use.
    var persistentResources: PersistentResources?
    private var steps: [Step] = []
    typealias Step = (kind: EncoderStepKind, run: () throws -> Void)
    private var graph: CUDAGraph?

    package init(encoder: GPUBertEncoder, batch: Int, bucket: Int) throws {
        try EncoderKernels.validate(encoder.shape(bucket: bucket))
        self.encoder = encoder
        self.batch = batch
        self.bucket = bucket
        buffers = try GPUBufferSet(device: encoder.device, config: encoder.config, type: encoder.type, batch: batch, bucket: bucket)
    }

    /// Where one linear layer reads and writes in this session.
    package struct LinearSlot {
        package let layer: GPULinear
        let x: UInt64
        let y: UInt64
        let residual: UInt64?
    }

    /// Every linear layer with its buffers, in forward order.
    package var linearSlots: [LinearSlot] {
        encoder.layers.flatMap { layer in
            [
                LinearSlot(layer: layer.queryKeyValue, x: buffers.x.address, y: buffers.qkv.address, residual: nil),
                LinearSlot(layer: layer.attentionOutput, x: buffers.context.address, y: buffers.attended.address, residual: buffers.x.address),
                LinearSlot(layer: layer.intermediate, x: buffers.attended.address, y: buffers.intermediate.address, residual: nil),
                LinearSlot(layer: layer.output, x: buffers.intermediate.address, y: buffers.x.address, residual: buffers.attended.address),
            ]
        }
    }

    /// Binds `kernel` for `slot` (for the planner's trials and for the forward).
    package func bind(_ slot: LinearSlot, _ kernel: GPULinearKernel) throws -> BoundLinear {
        try slot.layer.bind(
            kernel, device: encoder.device, cublas: encoder.cublas, tokens: tokens, x: slot.x, y: slot.y, residual: slot.residual)
    }

    /// The attention step of `kernel`, bound to this session's buffers; `qkvBias`: the QKV
    /// layer's bias, added by a fused attention kernel (the QKV layer then runs without it).
    /// `dependent`: the fused kernel is a programmatic dependent launch.
    package func attentionStep(_ kernel: GPUAttentionKernel, qkvBias: DeviceBuffer<UInt8>? = nil, dependent: Bool = false) throws -> () throws -> Void {
        let device = encoder.device, b = buffers
        if let config = kernel.fusedConfig(qkvBias: qkvBias != nil) {
            let prepared = try device.prepare(
                EncoderKernels.attention(encoder.shape(bucket: bucket), batch: batch, config: config),
                arguments: [.buffer(b.qkv)] + (qkvBias.map { [.buffer($0)] } ?? []) + [.buffer(b.mask), .buffer(b.context), .int32(Int32(tokens))],
                dependent: dependent)
            return { try prepared.launch() }
        }
        if gemmAttention == nil {
            gemmAttention = try GemmAttention(
                device: device, cublas: encoder.cublas, shape: encoder.shape(bucket: bucket), batch: batch,
                qkv: b.qkv.address, context: b.context.address, mask: b.mask)
        }
        guard let attention = gemmAttention else { throw CUDAError.invalidArgument("no GEMM attention") }
        return { try attention.run() }
    }

    /// Binds every kernel of the forward per `plan` (layers it lacks run dense) in `form` and
    /// captures the graph.
    ///
    /// Fused CSR forms (``GPUEncoderForm/fused``): per layer the QKV projection, attention,
    /// attention output + LayerNorm, and the FFN + LayerNorm, every linear layer on its CSR
    /// arrays in Sparrow's fused kernels (the plan is not used). Otherwise,
    /// per layer, separate epilogues: QKV (+ bias), attention, attention output (+ bias +
    /// residual x, into `attended`), LayerNorm in place, FFN up (+ bias + GELU), FFN down (+ bias
    /// + residual `attended`, into x), LayerNorm in place. Folded: the attention output and FFN
    /// down layers write W x alone and the bias + residual LayerNorm kernel reads it, adds bias
    /// and residual and normalises in place; with a fused attention kernel the QKV layer writes
    /// W x alone and attention adds the bias.
    package func prepare(plan: [String: GPULinearKernel], form: GPUEncoderForm = .unmeasured) throws {
        let device = encoder.device, shape = encoder.shape(bucket: bucket), b = buffers
        let t = Int32(tokens)
        let dependent = form.dependentLaunch
        func launch(_ source: KernelSource, _ arguments: [KernelArgument], first: Bool = false) throws -> () throws -> Void {
            let prepared = try device.prepare(source, arguments: arguments, dependent: dependent && !first)
            return { try prepared.launch() }
        }
        let normTokens = form.normTokensPerBlock
        let layerNorm = EncoderKernels.layerNorm(shape, tokens: tokens, input: .plain, tokensPerBlock: normTokens)
        let residualNorm = EncoderKernels.layerNorm(shape, tokens: tokens, input: .biasResidual, tokensPerBlock: normTokens)
        typealias Norm = (gamma: DeviceBuffer<UInt8>, beta: DeviceBuffer<UInt8>)
        func norm(_ n: Norm, _ x: DeviceBuffer<UInt8>) throws -> () throws -> Void {
            try launch(layerNorm, [.buffer(x), .buffer(n.gamma), .buffer(n.beta), .buffer(x), .int32(t)])
        }
        // y = LayerNorm(y + bias + residual), in place.
        func norm(_ n: Norm, _ y: DeviceBuffer<UInt8>, bias: DeviceBuffer<UInt8>, residual: DeviceBuffer<UInt8>) throws -> () throws -> Void {
            try launch(residualNorm, [.buffer(y), .buffer(bias), .buffer(residual), .buffer(n.gamma), .buffer(n.beta), .buffer(y), .int32(t)])
        }
        if let persistent = form.persistent {
            return try install(steps: [(.other, try persistentStep(config: persistent))], plan: [:], form: form)
        }
        var steps: [(kind: EncoderStepKind, run: () throws -> Void)] = []
        steps.append((.other, try launch(
            EncoderKernels.layerNorm(shape, tokens: tokens, input: .gather, tokensPerBlock: normTokens),
            [.buffer(b.ids), .buffer(b.typeIDs), .buffer(encoder.wordEmbeddings), .buffer(encoder.positionEmbeddings),
             .buffer(encoder.tokenTypeEmbeddings), .buffer(encoder.embeddingNorm.gamma), .buffer(encoder.embeddingNorm.beta),
             .buffer(b.x), .int32(t)], first: true)))
        let folded = form.foldedEpilogues
        let biasInAttention = folded && form.attention.fusedConfig(qkvBias: true) != nil && form.fused == nil
        let sharedAttention = biasInAttention ? nil : try attentionStep(form.attention, dependent: dependent)
        let slots = linearSlots
        var used: [String: GPULinearKernel] = [:]
        if let fused = form.fused, let attention = sharedAttention {
            steps += try fusedLayerSteps(config: fused, attention: attention, launch: { try launch($0, $1) })
        }
        if let tensorCore = form.tensorCore {
            steps += try tensorCoreLayerSteps(
                config: tensorCore, attention: form.attention, dependent: dependent, launch: { try launch($0, $1) })
        }
        func linear(_ index: Int, epilogue: Epilogue? = nil) throws -> (kind: EncoderStepKind, run: () throws -> Void) {
            let slot = slots[index]
            let kernel = plan[slot.layer.name] ?? .dense
            used[slot.layer.name] = kernel
            let bound = try slot.layer.bind(
                kernel, device: device, cublas: encoder.cublas, tokens: tokens, x: slot.x, y: slot.y, residual: slot.residual, epilogue: epilogue,
                dependent: dependent)
            return (.linear, { try bound.run() })
        }
        for (index, layer) in encoder.layers.enumerated() where form.usesPlan {
            let alone: Epilogue? = folded ? Epilogue.none : nil
            steps.append(try linear(4 * index, epilogue: biasInAttention ? Epilogue.none : nil))
            steps.append((.attention, try sharedAttention ?? attentionStep(form.attention, qkvBias: layer.queryKeyValue.bias, dependent: dependent)))
            steps.append(try linear(4 * index + 1, epilogue: alone))
            steps.append((.norms, folded
                ? try norm(layer.attentionNorm, b.attended, bias: layer.attentionOutput.bias, residual: b.x)
                : try norm(layer.attentionNorm, b.attended)))
            steps.append(try linear(4 * index + 2))
            steps.append(try linear(4 * index + 3, epilogue: alone))
            steps.append((.norms, folded
                ? try norm(layer.outputNorm, b.x, bias: layer.output.bias, residual: b.attended)
                : try norm(layer.outputNorm, b.x)))
        }
        steps.append((.other, try launch(
            EncoderKernels.meanPool(shape, batch: batch, normalize: true), [.buffer(b.x), .buffer(b.mask), .buffer(b.pooled), .int32(t)])))
        try install(steps: steps, plan: used, form: form)
    }

    /// Keeps `steps` as the forward bound per `plan` in `form`, and captures them as the graph.
    private func install(steps: [Step], plan: [String: GPULinearKernel], form: GPUEncoderForm) throws {
        self.steps = steps
        self.plan = plan
        self.form = form
        graph = nil
        graph = try CUDAGraph(capturing: encoder.device.stream) {
            for step in steps { try step.run() }
        }
    }

    /// Copies `input` (padded to this bucket) to the device.
    package func upload(_ input: TokenBatch, padID: Int32) throws {
        try buffers.upload(input, padID: padID)
    }

    /// Queues one forward pass (the graph) on the device's stream.
    package func launch() throws {
        guard let graph else { throw CUDAError.invalidArgument("GPUEncoderSession: prepare(plan:) first") }
        try graph.launch(on: encoder.device.stream)
    }

    /// Runs the forward once and returns the pooled embeddings (`batch x hidden`, fp32).
    package func run() throws -> [Float] {
        try launch()
        try encoder.device.stream.synchronize()
        return try buffers.pooled.download()
    }

    /// Seconds per forward, graphs replayed back to back (``LaunchTiming``).
    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        try LaunchTiming.samples(stream: encoder.device.stream, warmup: warmup, iterations: iterations) { try launch() }
    }

    /// Mean milliseconds per forward by step kind, from `passes` passes run step by step (not as
    /// a graph) with an event between consecutive steps: a step's time is from the end of the
    /// previous one to its own end, so an idle gap before it (host launch latency) counts in it.
    /// The persistent form, one kernel, splits its time by its own timeline (``persistentProfile(passes:)``).
    package func profile(passes: Int) throws -> [EncoderStepKind: Double] {
        if form.persistent != nil { return try persistentProfile(passes: passes) }
        let stream = encoder.device.stream
        var totals: [EncoderStepKind: Double] = [:]
        let events = try (0...steps.count).map { _ in try CUDAEvent(context: stream.context) }
        for _ in 0..<passes {
            try events[0].record(on: stream)
            for (index, step) in steps.enumerated() {
                try step.run()
                try events[index + 1].record(on: stream)
            }
            try events[steps.count].synchronize()
            for (index, step) in steps.enumerated() {
                totals[step.kind, default: 0] += Double(try events[index + 1].elapsedMilliseconds(since: events[index]))
            }
        }
        return totals.mapValues { $0 / Double(max(passes, 1)) }
    }
}
