import FileTools
import Foundation
import KernelGen
import Models
import Runtime
import SparseFormats
import SparseIO

/// `sparrow bench model --device gpu`: prunes in memory, runs Sparrow's GPU encoder (one CUDA
/// graph per (batch, bucket), each linear layer SpMM or cuBLAS as measured), checks it against
/// PyTorch eager fp32 on the same weights, and times it beside PyTorch eager and torch.compile.
package struct GPUModelBenchJob {
    package var model: String
    package var batches: [Int] = [1]
    package var sequenceLength = 128
    package var sparsities: [Double] = [0.5, 0.7, 0.9]
    package var pattern: PruningPattern = .unstructured
    package var dtypes: [ElementType] = [.f16]
    package var warmup = 3
    package var iterations = 20
    package var skipBaseline = false
    package var showPlan = false
    package var planner = GPULinearPlanner()
    package var command = "sparrow bench model --device gpu"

    package init(model: String) { self.model = model }

    /// Texts of different lengths for the padded-batch check.
    static let paddedTexts = [
        "A man is eating food.", "A man is eating a piece of bread.",
        "The committee met on a cold Tuesday morning to review the budget for the coming year.",
        "Pruned networks run faster.", "",
        "Volunteers organised a small festival in the park, with music, food stalls and a children's race along the river; hundreds of residents attended despite the rain.",
        "Héllo wörld, naïve café!", "GPU",
    ]

    /// Runs every (sparsity, dtype, batch); `progress` gets the report so far after each row (so
    /// a run cut short still leaves its rows behind).
    package func run(note: (String) -> Void, progress: (GPUModelBenchReport) throws -> Void = { _ in }) throws -> GPUModelBenchReport {
        let device = try GPUDevice()
        let folder = try ModelFolder(model)
        let config = try BertConfig(folder: folder)
        let maxLength = try folder.maxSequenceLength(fallback: config.maxPositions)
        let tokenizer = try folder.tokenizer(maxLength: maxLength)
        let buckets = SequenceBuckets(maximumLength: min(config.maxPositions, max(maxLength, sequenceLength)), limit: EncoderKernels.maximumBucket)
        let tensors = try Safetensors.read(folder.weightsPath)
        var torch: TorchEncoder?
        var skipped: String? = skipBaseline ? "--skip torch" : nil
        if !skipBaseline {
            switch TorchEncoder.start() {
            case let .success(started): torch = started
            case let .failure(reason): skipped = reason.reason
            }
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-bench-gpu-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputs = try batches.map { try ModelBenchInput(tokenizer: tokenizer, batch: $0, length: sequenceLength, warmup: warmup, iterations: iterations) }
        let texts = inputs.map { Self.hostTexts(batch: $0.batch.count, length: sequenceLength, tokenizer: tokenizer) }
        var rows: [GPUModelBenchReport.Row] = []
        var padded: [GPUModelBenchReport.PaddedCheck] = []
        // Dense baselines do not depend on the zeros: timed once per (dtype, batch), reported on every row.
        var torchTimes: [String: (eager: Double?, compile: Double?, graph: Double?)] = [:]
        let dtypeNames = dtypes.map(\.rawValue)
        let levels: [Double?] = if case .nOfM = pattern { [nil] } else { sparsities.map { $0 } }
        for level in levels {
            let weights: BertWeights
            var sparsity = level ?? 0
            var file = folder.weightsPath
            if level == 0 {
                weights = try BertWeights(tensors: tensors, config: config, path: folder.weightsPath)
            } else {
                let pruner = try TensorPruner(pattern: pattern, sparsity: level, only: ModelBenchJob.linearWeights)
                let (pruned, reports) = try pruner.prune(tensors)
                sparsity = level ?? reports.compactMap(\.report).first?.requested ?? 0
                weights = try BertWeights(tensors: pruned, config: config, path: "\(folder.weightsPath) pruned in memory")
                file = scratch.appendingPathComponent("pruned.safetensors").path
                if torch != nil { try Safetensors.write(pruned, to: file) }
            }
            note("\(pattern) \(String(format: "%.2f", sparsity)): weights ready")
            var torchNow = torch
            if let t = torch {
                do { try t.load(config: folder.configPath, weights: file, dtypes: Array(Set(dtypeNames + ["f32"])).sorted()) } catch {
                    skipped = "\(error)"
                    torchNow = nil
                    torch = nil
                }
            }
            for type in dtypes {
                let encoder = try GPUBertEncoder(weights, device: device, type: type)
                // The mask path: texts of different lengths in one padded batch.
                let paddedBatch = tokenizer.encodeBatch(Self.paddedTexts)
                if let t = torchNow, let bucket = buckets.bucket(for: paddedBatch.length) {
                    // Every form (attention kernel, epilogues separate or folded), each against PyTorch.
                    var paddedSession: (GPUEncoderSession, [String: GPULinearKernel])?
                    for form in GPUEncoderForm.available(
                        on: device.limits.computeCapability, type: type, hidden: encoder.config.hiddenSize, heads: encoder.config.headCount
                    ) {
                        let check: (Double) -> GPUModelBenchReport.PaddedCheck = {
                            .init(sparsity: sparsity, dtype: type.rawValue, attention: form.description, texts: paddedBatch.count,
                                  lengths: paddedBatch.lengths, bucket: bucket, cosineTorch: $0)
                        }
                        do {
                            if paddedSession == nil {
                                let session = try GPUEncoderSession(encoder: encoder, batch: paddedBatch.count, bucket: bucket)
                                paddedSession = (session, try planner.plan(session).plan)
                            }
                            guard let (session, plan) = paddedSession else { continue }
                            try session.prepare(plan: plan, form: form)
                            try session.upload(paddedBatch, padID: tokenizer.padID)
                            let ours = try session.run()
                            let theirs = try t.embed(ids: paddedBatch.ids, mask: paddedBatch.attentionMask, count: paddedBatch.count, length: paddedBatch.length, dtype: "f32", mode: "eager")
                            let cosine = EmbeddingCosine.minimum(ours, theirs, dimension: config.hiddenSize)
                            padded.append(check(cosine))
                            note("padded check \(type.rawValue) \(form): cosine \(cosine)")
                        } catch {
                            note("padded check \(type.rawValue) \(form) failed: \(error)")
                            padded.append(check(-1))
                        }
                    }
                }
                for (index, input) in inputs.enumerated() {
                    let b = input.batch
                    guard let bucket = buckets.bucket(for: b.length) else { throw ModelBenchJob.Mismatch(description: "sequence \(b.length) exceeds every bucket") }
                    let session = try GPUEncoderSession(encoder: encoder, batch: b.count, bucket: bucket)
                    note("\(type.rawValue) batch \(b.count) bucket \(bucket): measuring each linear layer (cuBLAS vs SpMM)")
                    let (plan, entries) = try planner.plan(session)
                    if showPlan { note(GPULinearPlanner.table(entries)) }
                    let attention = try planner.attention(session)
                    note("attention: \(attention.ms) ms -> \(attention.kernel.rawValue)")
                    // The real input first: the graph choice checks each candidate's output on it.
                    try session.upload(b, padID: tokenizer.padID)
                    let chosen = try planner.chooseGraph(session, plan: plan, entries: entries)
                    note("whole graphs: " + chosen.trials.map { "\($0.name) \($0.ms.map { String(format: "%.4f ms", $0) } ?? $0.note ?? "-")" }.joined(separator: "; "))
                    // Each persistent form's own timeline, stage by stage (us, mean over layers), then the chosen form again.
                    let persistentForms = GPUEncoderForm.available(
                        on: device.limits.computeCapability, type: type, hidden: config.hiddenSize, heads: config.headCount
                    ).filter { $0.persistent != nil }
                    for form in persistentForms {
                        do {
                            try session.prepare(plan: [:], form: form)
                            let timeline = try session.persistentTimeline(passes: 5)
                            var byStage: [(String, Double, Int)] = []
                            for (stage, ms) in timeline {
                                if let i = byStage.firstIndex(where: { $0.0 == stage }) { byStage[i].1 += ms; byStage[i].2 += 1 } else { byStage.append((stage, ms, 1)) }
                            }
                            note("\(form) timeline, us a stage (mean over layers): " + byStage.map { String(format: "%@ %.2f", $0.0, 1e3 * $0.1 / Double($0.2)) }.joined(separator: ", ")
                                + String(format: "; %.4f ms in all", timeline.map(\.ms).reduce(0, +)))
                        } catch {
                            note("\(form) timeline failed: \(error)")
                        }
                    }
                    try session.prepare(plan: chosen.plan, form: chosen.form)
                    let ours = try session.run()
                    var cosine: Double?
                    if let t = torchNow {
                        do {
                            let theirs = try t.embed(ids: b.ids, mask: b.attentionMask, count: b.count, length: b.length, dtype: "f32", mode: "eager")
                            cosine = EmbeddingCosine.minimum(ours, theirs, dimension: config.hiddenSize)
                        } catch {
                            note("torch eager fp32 failed: \(error)")
                        }
                    }
                    let sparrowMs = Statistics.median(try session.time(warmup: warmup, iterations: iterations)) * 1e3
                    let hostMs = try hostTime(session: session, texts: texts[index], tokenizer: tokenizer)
                    let key = "\(type.rawValue)/\(b.count)"
                    if torchTimes[key] == nil, let t = torchNow {
                        note("\(type.rawValue) batch \(b.count): timing PyTorch eager, torch.compile (reduce-overhead) and its kernels in a hand-captured CUDA graph")
                        // Eager; reduce-overhead as a user calls it; the same inductor kernels in one hand-captured graph (GPU only).
                        torchTimes[key] = (timeTorch(t, b, type, "eager", note), timeTorch(t, b, type, "compile", note), timeTorch(t, b, type, "graph", note))
                    }
                    let split = try session.profile(passes: max(3, iterations / 4))
                    let row = GPUModelBenchReport.Row(
                        pattern: pattern.description, sparsity: sparsity, dtype: type.rawValue, batch: b.count, bucket: bucket,
                        sparrowMs: sparrowMs, sparrowHostMs: hostMs, torchEagerMs: torchTimes[key]?.eager, torchCompileMs: torchTimes[key]?.compile, torchGraphMs: torchTimes[key]?.graph,
                        split: Dictionary(uniqueKeysWithValues: split.map { ($0.key.rawValue, $0.value) }),
                        sparseLayers: session.sparseLayerCount, layers: entries.count, cosineTorch: cosine,
                        attention: chosen.form.description, attentionMs: attention.ms, graphTrials: chosen.trials,
                        plan: entries.map { entry in
                            var e = entry
                            e.kernel = session.kernelName(layer: entry.layer)
                            return e
                        })
                    note(String(format: "%@ %.2f %@ batch %d: sparrow %.4f ms, torch eager %@, compile %@, compiled kernels in one graph %@, cosine %@", pattern.description, sparsity, type.rawValue, b.count, sparrowMs,
                                "\(row.torchEagerMs ?? .nan)", "\(row.torchCompileMs ?? .nan)", "\(row.torchGraphMs ?? .nan)", "\(cosine ?? .nan)"))
                    rows.append(row)
                    try progress(report(rows: rows, padded: padded, device: device, torch: torch, skipped: skipped))
                }
            }
        }
        return report(rows: rows, padded: padded, device: device, torch: torch, skipped: skipped)
    }

    /// Median ms per forward of PyTorch in `mode` on `batch` (run once first: compiles or captures), or nil, noted, when it fails.
    func timeTorch(_ torch: TorchEncoder, _ batch: TokenBatch, _ type: ElementType, _ mode: String, _ note: (String) -> Void) -> Double? {
        do {
            _ = try torch.embed(ids: batch.ids, mask: batch.attentionMask, count: batch.count, length: batch.length, dtype: type.rawValue, mode: mode)
            return Statistics.median(try torch.time(dtype: type.rawValue, mode: mode, warmup: warmup, iterations: iterations)) * 1e3
        } catch {
            note("torch \(mode) failed: \(error)")
            return nil
        }
    }

    /// The report of `rows` and `padded`, with the checks below the bar listed.
    func report(
        rows: [GPUModelBenchReport.Row], padded: [GPUModelBenchReport.PaddedCheck], device: GPUDevice, torch: TorchEncoder?, skipped: String?
    ) -> GPUModelBenchReport {
        var report = GPUModelBenchReport(
            command: command, date: ISO8601DateFormatter().string(from: Date()), commit: BuildInfo.commit, machine: BuildInfo.machine,
            gpu: device.summary, model: model, sequenceLength: sequenceLength, warmup: warmup, iterations: iterations,
            torch: torch?.version, baselineSkipped: skipped, rows: rows, paddedChecks: padded)
        report.failures = rows.compactMap { r -> String? in
            guard let c = r.cosineTorch, let type = ElementType(rawValue: r.dtype), c < EmbeddingCosine.bar(type) else { return nil }
            return "\(r.dtype) \(r.sparsity) batch \(r.batch): cosine \(c)"
        } + padded.compactMap { c -> String? in
            guard let type = ElementType(rawValue: c.dtype), c.cosineTorch < EmbeddingCosine.bar(type) else { return nil }
            return "padded \(c.dtype) \(c.sparsity) \(c.attention) attention: cosine \(c.cosineTorch)"
        }
        return report
    }

    /// `batch` texts of the benchmark's prose, each cut to the most words that tokenise to at most
    /// `length` tokens: the host path's input, close to the device path's token count.
    static func hostTexts(batch: Int, length: Int, tokenizer: BertTokenizer) -> [String] {
        let words = ModelBenchInput.prose.split(separator: " ")
        return (0..<batch).map { row in
            let rotated = Array(words[(row % words.count)...]) + words + words
            var count = min(length, rotated.count)
            while count > 1, tokenizer.encode(rotated.prefix(count).joined(separator: " ")).ids.count > length { count -= 1 }
            return rotated.prefix(count).joined(separator: " ")
        }
    }

    /// Median ms of texts -> embeddings on the host: tokenise, copy ids, replay, copy back.
    func hostTime(session: GPUEncoderSession, texts: [String], tokenizer: BertTokenizer) throws -> Double {
        var seconds: [Double] = []
        for run in 0..<(warmup + iterations) {
            let start = ContinuousClock.now
            let batch = tokenizer.encodeBatch(texts)
            try session.upload(batch, padID: tokenizer.padID)
            _ = try session.run()
            let parts = start.duration(to: .now).components
            if run >= warmup { seconds.append(Double(parts.seconds) + Double(parts.attoseconds) * 1e-18) }
        }
        return Statistics.median(seconds) * 1e3
    }
}
