import Foundation
import SparseFormats
import SparseIO

/// `sparrow embed`: a model folder's embeddings of some texts, printed or saved.
package struct EmbedJob: Sendable {
    /// Where to run: `gpu` runs ``GPUSentenceEncoder`` (one CUDA graph per batch shape); `auto`
    /// runs on the CPU.
    package enum Device: String, Sendable, CaseIterable {
        case auto, cpu, gpu
    }

    /// How the linear layers multiply: by the plan's sparsity rule, measured on this machine per
    /// layer, or all one way.
    package enum Linear: String, Sendable, CaseIterable {
        case auto, measure, dense, sparse

        var plan: LinearPlan {
            switch self {
            case .auto, .measure: LinearPlan()
            case .dense: .dense
            case .sparse: .sparse
            }
        }
    }

    package var model: String
    package var texts: [String]
    package var batchSize: Int
    package var device: Device
    /// Also write the embeddings here as a float32 `.npy` (texts x dimension).
    package var npy: String?
    package var linear: Linear
    /// A measured plan: reused when the file exists, else measured (as `linear: .measure`) and saved here.
    package var planFile: String?
    /// The GPU path's element type (f32, or f16 with fp32 accumulation).
    package var gpuType: ElementType = .f32
    /// Attention restricted to a pattern (the CPU encoder's fused sparse kernel); nil: BERT's dense attention.
    package var attention: AttentionPattern?

    package init(
        model: String, texts: [String], batchSize: Int = 32, device: Device = .auto, npy: String? = nil, linear: Linear = .auto,
        planFile: String? = nil
    ) {
        self.planFile = planFile
        self.model = model
        self.texts = texts
        self.batchSize = batchSize
        self.device = device
        self.npy = npy
        self.linear = linear
    }

    /// What the job computed.
    package struct Result: Sendable, Codable {
        package var model: String
        package var dimension: Int
        /// One per text, in order.
        package var embeddings: [[Float]]
        /// Every linear layer with its kernel.
        package var layers: [LayerChoice]
        /// Loading (tokenizer, weights, kernel plans) and embedding, apart.
        package var loadSeconds: Double
        package var embedSeconds: Double
        /// The planner's measurements, when the plan was measured or read from `planFile`.
        package var measured: MeasuredLinearPlan?
    }

    /// One linear layer of the plan.
    package struct LayerChoice: Sendable, Codable, Hashable {
        package var name: String
        package var shape: [Int]
        package var sparsity: Double
        package var kernel: LinearKernel
        /// The sparse kernels' block shape (`[1, 1]`: CSR); nil for dense.
        package var block: [Int]?
    }

    /// A request the job cannot serve, named before any work.
    package struct Refusal: Error, CustomStringConvertible {
        package var description: String
    }

    /// Checks the options, loads the model, embeds the texts and writes the `.npy` if asked.
    package func run() throws -> Result {
        guard batchSize >= 1 else { throw Refusal(description: "--batch-size must be at least 1, got \(batchSize)") }
        if let npy {
            guard npy.hasSuffix(".npy") else { throw Refusal(description: "--npy \(npy): the file name must end in .npy") }
            var isFolder: ObjCBool = false
            let parent = URL(fileURLWithPath: npy).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder), isFolder.boolValue else {
                throw Refusal(description: "--npy \(npy): the folder \(parent) does not exist")
            }
        }
        if device == .gpu {
            guard attention == nil else {
                throw Refusal(description: "--attention runs on the CPU encoder; the GPU encoder's attention is dense (drop --device gpu)")
            }
            return try runOnGPU()
        }
        let encoderAttention: EncoderAttention
        do {
            encoderAttention = try attention.map { try EncoderAttention.sparse($0) } ?? .dense
        } catch {
            throw Refusal(description: "--attention: \(error)")
        }
        let started = ContinuousClock.now
        let measured = try measuredPlan()
        let encoder = try SentenceEncoder(folder: model, plan: measured?.plan ?? linear.plan, attention: encoderAttention)
        if let planFile, let measured, let mismatch = measured.measured.mismatch(encoder.encoder.linearLayers) {
            throw Refusal(description: "--plan-file \(planFile) was measured for other weights (\(mismatch)); remove it to measure again")
        }
        let loaded = ContinuousClock.now
        let embeddings = try encoder.embed(texts, batchSize: batchSize)
        let finished = ContinuousClock.now
        let dimension = encoder.encoder.config.hiddenSize
        if let npy {
            let tensor = AnyDenseTensor(shape: [embeddings.count, dimension], values: embeddings.flatMap { $0 })
            try NPY.write(tensor, to: npy)
        }
        let layers = encoder.encoder.linearLayers.map {
            LayerChoice(name: $0.name, shape: [$0.outputs, $0.inputs], sparsity: $0.sparsity, kernel: $0.kernel, block: $0.blockShape)
        }
        return Result(
            model: model, dimension: dimension, embeddings: embeddings, layers: layers,
            loadSeconds: (loaded - started).seconds, embedSeconds: (finished - loaded).seconds, measured: measured?.measured)
    }

    /// The plan of `planFile` when it exists; else, with `.measure` or a `planFile`, the planner's
    /// at the first batch's token count (saved to `planFile`); else nil (the sparsity rule).
    func measuredPlan() throws -> (measured: MeasuredLinearPlan, plan: LinearPlan)? {
        guard linear == .measure || planFile != nil else { return nil }
        let folder = try ModelFolder(model)
        let config = try BertConfig(folder: folder)
        let tokenizer = try folder.tokenizer(maxLength: try folder.maxSequenceLength(fallback: config.maxPositions))
        let tokens = max(1, tokenizer.encodeBatch(Array(texts.prefix(batchSize))).lengths.reduce(0, +))
        if let planFile, FileManager.default.fileExists(atPath: planFile) {
            let measured = try MeasuredLinearPlan(contentsOf: planFile)
            return (measured, measured.linearPlan(tokens: tokens))
        }
        let measured = try LinearPlanner().plan(try BertWeights(folder: folder, config: config), tokens: [tokens])
        if let planFile { try measured.write(to: planFile) }
        return (measured, measured.linearPlan(tokens: tokens))
    }

    /// Texts from standard input: one a line, a final newline (and `\r` before each newline) dropped.
    package static func lines(_ input: Data) -> [String] {
        // Bytes, not Characters: "\r\n" is one Character and would not split at "\n".
        var lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
