import CPUKernels
import FileTools
import Foundation
import Models
import SparseFormats
import SparseIO

/// `sparrow bench model`: prunes a model's linear layers in memory (``TensorPruner``, as `sparrow
/// prune` does), checks Sparrow's embeddings against its own dense path and ONNX Runtime's, then
/// times both on the CPU in the same run.
package struct ModelBenchJob: Sendable {
    package var model: String
    package var batches: [Int] = [1, 8]
    package var sequenceLength = 128
    /// Ignored for N:M, whose sparsity is its own.
    package var sparsities: [Double] = [0.5, 0.7, 0.9]
    package var pattern: PruningPattern = .unstructured
    package var warmup = 3
    package var iterations = 20
    /// Leave ONNX Runtime out.
    package var skipBaseline = false
    /// Measure each layer's dense and sparse time per batch shape and keep the faster
    /// (``LinearPlanner``); false: the sparsity rule (``LinearPlan/defaultMinimumSparsity``).
    package var measurePlan = true
    /// Write each measured plan (layer, shape, tokens, sparsity, kernel, dense and sparse ms) to `note`.
    package var showPlan = false
    package var command = "sparrow bench model"

    /// Outputs that differ more than this (smallest cosine over the batch's texts) fail the run.
    package static let minimumCosine = 0.9999
    /// The linear layers' weights: what is pruned (embeddings, norms, biases and the pooler stay).
    static let linearWeights = #"encoder\.layer\.\d+\.(attention|intermediate|output)"#

    package init(model: String) { self.model = model }

    /// An output check that failed.
    package struct Mismatch: Error, CustomStringConvertible {
        package var description: String
    }

    package func run(note: (String) -> Void) throws -> ModelBenchReport {
        let loadAtStart = MachineLoad.now()
        let folder = try ModelFolder(model)
        let config = try BertConfig(folder: folder)
        let tokenizer = try folder.tokenizer(maxLength: try folder.maxSequenceLength(fallback: config.maxPositions))
        let tensors = try Safetensors.read(folder.weightsPath)
        let threads = CPUWorkerPool.shared.threadCount
        var baseline: OnnxRuntimeEncoder?
        var skipped: String? = skipBaseline ? "--skip onnxruntime" : nil
        if !skipBaseline {
            switch OnnxRuntimeEncoder.start() {
            case let .success(started): baseline = started
            case let .failure(reason): skipped = reason.reason
            }
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-bench-model-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputs = try batches.map { try ModelBenchInput(tokenizer: tokenizer, batch: $0, length: sequenceLength, warmup: warmup, iterations: iterations) }
        var rows: [ModelBenchReport.Row] = []
        let levels: [Double?] = if case .nOfM = pattern { [nil] } else { sparsities.map { $0 } }
        for level in levels {
            let pruner = try TensorPruner(pattern: pattern, sparsity: level, only: Self.linearWeights)
            let (pruned, reports) = try pruner.prune(tensors)
            let sparsity = level ?? reports.compactMap(\.report).first?.requested ?? 0
            note("pruned \(reports.filter { $0.report != nil }.count) linear weights to \(pattern) \(String(format: "%.2f", sparsity)); preparing the kernels")
            let weights = try BertWeights(tensors: pruned, config: config, path: "\(folder.weightsPath) pruned in memory")
            let dense = try BertEncoder(weights, plan: .dense)
            if let baseline {
                let file = scratch.appendingPathComponent("pruned.safetensors").path
                try Safetensors.write(pruned, to: file)
                note("building the ONNX graph and session")
                do { try baseline.load(config: folder.configPath, weights: file, threads: threads) } catch {
                    skipped = "\(error)"
                }
            }
            let active = skipped == nil ? baseline : nil
            for input in inputs {
                var measured: MeasuredLinearPlan?
                if measurePlan {
                    note("batch \(input.batch.count): measuring each linear layer dense and sparse at \(input.batch.ids.count) tokens")
                    measured = try LinearPlanner().plan(weights, tokens: [input.batch.ids.count])
                    if showPlan, let measured { note(measured.table) }
                }
                let sparrow = try BertEncoder(weights, plan: measured?.linearPlan(tokens: input.batch.ids.count) ?? LinearPlan())
                note("batch \(input.batch.count): checking, then timing Sparrow, its dense path and ONNX Runtime")
                var row = try measure(input, sparrow: sparrow, dense: dense, baseline: active, sparsity: sparsity, hidden: config.hiddenSize)
                row.plan = measured?.entries
                rows.append(row)
            }
        }
        return ModelBenchReport(
            command: command, date: ISO8601DateFormatter().string(from: Date()), commit: BuildInfo.commit, machine: BuildInfo.machine,
            model: model, sequenceLength: sequenceLength, threads: threads, warmup: warmup, iterations: iterations,
            onnxRuntime: skipped == nil ? baseline?.version : nil, baselineSkipped: skipped, loadAtStart: loadAtStart,
            loadAtEnd: MachineLoad.now(), rows: rows)
    }

    func measure(
        _ input: ModelBenchInput, sparrow: BertEncoder, dense: BertEncoder, baseline: OnnxRuntimeEncoder?, sparsity: Double, hidden: Int
    ) throws -> ModelBenchReport.Row {
        let workspace = EncoderWorkspace()
        let ours = try sparrow.embed(input.batch, workspace: workspace)
        let reference = try dense.embed(input.batch, workspace: EncoderWorkspace())
        let cosineDense = EmbeddingCosine.minimum(ours, reference, dimension: hidden)
        guard cosineDense >= Self.minimumCosine else {
            throw Mismatch(description: "Sparrow's embeddings differ from its dense path's on the same weights: cosine \(cosineDense)")
        }
        var cosineBaseline: Double?
        if let baseline {
            let theirs = try baseline.embed(ids: input.batch.ids, count: input.batch.count, length: input.batch.length)
            let cosine = EmbeddingCosine.minimum(ours, theirs, dimension: hidden)
            guard cosine >= Self.minimumCosine else {
                throw Mismatch(description: "ONNX Runtime's embeddings differ from Sparrow's: cosine \(cosine)")
            }
            cosineBaseline = cosine
        }
        let sparrowMs = try time { _ = try sparrow.embed(input.batch, workspace: workspace) }
        let denseWorkspace = EncoderWorkspace()
        let denseMs = try time { _ = try dense.embed(input.batch, workspace: denseWorkspace) }
        let baselineMs = try baseline.map { Self.median(try $0.time(warmup: warmup, iterations: iterations)) * 1e3 }
        let profile = EncoderProfile()
        workspace.profile = profile
        for _ in 0..<max(3, iterations / 4) { _ = try sparrow.embed(input.batch, workspace: workspace) }
        workspace.profile = nil
        let layers = sparrow.linearLayers
        return ModelBenchReport.Row(
            pattern: pattern.description, sparsity: sparsity, batch: input.batch.count, sparrowMs: sparrowMs, sparrowDenseMs: denseMs,
            onnxRuntimeMs: baselineMs, tokenizeMs: input.tokenizeMs,
            split: Dictionary(uniqueKeysWithValues: profile.perPass.map { ($0.key.rawValue, $0.value * 1e3) }),
            sparseLayers: layers.filter { $0.kernel == .sparse }.count, layers: layers.count, cosineDense: cosineDense,
            cosineOnnxRuntime: cosineBaseline)
    }

    /// Median milliseconds of `iterations` runs of `body` after `warmup`.
    func time(_ body: () throws -> Void) throws -> Double {
        for _ in 0..<warmup { try body() }
        var seconds: [Double] = []
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            try body()
            let parts = start.duration(to: .now).components
            seconds.append(Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
        }
        return Self.median(seconds) * 1e3
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
