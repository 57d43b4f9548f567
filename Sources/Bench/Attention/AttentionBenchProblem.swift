import Foundation
import KernelGen
import Runtime
import SparseFormats
import Tuner

/// One problem of ``AttentionBenchJob``: checks, then times, Sparrow's configs and the baselines.
struct AttentionBenchProblem {
    var pattern: AttentionPattern
    var length: Int
    var batch: Int
    var heads: Int
    var headSize: Int
    var type: ElementType
    var q: [Float], k: [Float], v: [Float]

    var batchHeads: Int { batch * heads }

    func measure(
        _ job: AttentionBenchJob, device: GPUDevice, operands: GPUAttentionOperands, torch: TorchAttention?, failures: inout [String]
    ) throws -> AttentionBenchReport.Row {
        let acsr = try ACSR(pattern, length: length)
        let op = try GPUSparseAttention(device: device, pattern: acsr, batchHeads: batchHeads, headSize: headSize, elementType: type)
        let label = "\(pattern) L=\(length) d=\(headSize) \(type.rawValue)"
        // Checked rows: a seeded sample, restricted to rows with at least one key (a row without
        // keys is zeros here and in FlexAttention, NaN in SDPA with a mask).
        let sample = try AttentionRows.sample(count: job.sampledRows, seed: UInt64(length)).resolve(length: length)
        let rows = sample.filter { acsr.rowLength[$0] > 0 }
        let reference = try ReferenceAttention(q: q, k: k, v: v, pattern: acsr, batchHeads: batchHeads, headSize: headSize, rows: .listed(rows))
        let precision = ComputePrecision(storage: type)
        let usefulFlops = 4 * Double(acsr.nnz) * Double(headSize) * Double(batchHeads)
        let measurer = GPUAttentionMeasurer(op: op, operands: operands, reference: reference, warmup: job.warmup, iterations: job.iterations)
        let search = Search(
            space: AttentionSpace(variants: [.tensorCore, .warpGroup, .rowWarp]), strategy: RankedTopK(AttentionHandCostModel(), k: job.topK),
            extras: job.extraConfigs)
        var trials: [Trial<AttentionConfig>] = []
        var fusedConfig: AttentionConfig?
        do {
            let result = try search.run(for: measurer.problem, measurer: measurer, sink: MemoryTrialSink<AttentionTuningProblem, AttentionConfig>())
            trials = result.trials
            fusedConfig = result.best.isCorrect ? result.best.config : nil
        } catch {
            failures.append("\(label) search: \(error)")
        }
        trials.append(measurer.measure(job.unfusedConfig, for: measurer.problem))
        let timings = trials.map { trial -> AttentionBenchReport.Timing in
            var t = AttentionBenchReport.Timing(name: trial.config.identifier)
            if let rows = measurer.checkedRows[trial.config] {
                t.errorVsReference = ReferenceSpMM.relativeError(rows, reference: reference.output)
            }
            if trial.isCorrect {
                Self.fill(&t, trial.sampleSeconds, flops: usefulFlops)
                t.extraBytes = acsr.metadataBytes + (trial.config.variant == .unfused ? op.scoreBytes : 0) + ((try? op.splitWorkspaceBytes(trial.config)) ?? 0)
            } else {
                t.failure = "\(trial.status)"
                failures.append("\(label) \(trial.config): \(trial.status)")
            }
            return t
        }
        let fused = timings.first { $0.name == fusedConfig?.identifier }
        let unfused = timings.last
        let verifier = Verifier(reference: reference.output)
        var row = AttentionBenchReport.Row(
            pattern: pattern.description, length: length, headSize: headSize, dtype: type.rawValue, nnz: acsr.nnz, density: acsr.density,
            segmentsPerRow: acsr.segmentsPerRow, viewStride: op.shape.viewStride, sparrow: timings, fused: fused, unfused: unfused,
            baselines: [])
        guard let torch else { return row }
        do {
            row.torchSetup = try torch.setup(
                pattern: pattern.description, length: length, batch: batch, heads: heads, headSize: headSize, dtype: type.rawValue, seed: 0)
            for name in TorchAttention.baselines {
                var t = AttentionBenchReport.Timing(name: name)
                do {
                    let (out, firstMs) = try torch.run(name, rows: rows)
                    if name == "flex" {
                        row.flexFirstCallMs = firstMs
                        if let best = fusedConfig.flatMap({ measurer.checkedRows[$0] }) {
                            row.fusedVsFlex = Verifier(reference: out).check(best, precision: precision).relativeError
                        }
                    }
                    if name != "sdpa-dense" {
                        // The baselines see the same inputs: their outputs must match the reference too.
                        let verdict = verifier.check(out.map { Float($0) }, precision: precision)
                        t.errorVsReference = verdict.relativeError
                        if let failure = verdict.failure { failures.append("\(label) \(name): \(failure)") }
                    }
                    let (samples, peak) = try torch.time(name, warmup: job.warmup, iterations: job.iterations)
                    Self.fill(&t, samples, flops: usefulFlops)
                    t.extraBytes = peak
                } catch {
                    t.failure = "\(error)"
                }
                row.baselines.append(t)
            }
            try torch.free()
        } catch {
            row.baselines.append(AttentionBenchReport.Timing(name: "torch", failure: "\(error)"))
        }
        return row
    }

    static func fill(_ t: inout AttentionBenchReport.Timing, _ samples: [Double], flops: Double) {
        let median = Statistics.median(samples)
        t.ms = median * 1e3
        t.spread = samples.min().map { median / $0 }
        t.tflops = flops / median / 1e12
    }
}
