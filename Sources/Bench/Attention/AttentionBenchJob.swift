import Foundation
import KernelGen
import Runtime
import SparseFormats

/// `sparrow bench attention`: for every (length, head size, dtype, pattern), Sparrow's fused
/// attention as the tuner's search picks it (``Tuner/AttentionSpace``, the hand model's top k, the
/// same ``Tuner/Search`` as SpMM), the unfused path, and PyTorch's baselines on the same
/// inputs (``AttentionInputs``), each output checked on sampled rows against the Float64
/// reference and FlexAttention before anything is timed.
package struct AttentionBenchJob {
    package var patterns: [AttentionPattern]
    package var lengths: [Int] = [4096]
    package var batch = 1
    package var heads = 16
    package var headSizes: [Int] = [64]
    package var dtypes: [ElementType] = [.f16]
    /// Fused configs the tuner's search measures per problem: the hand model's top k of the
    /// pruned space, plus ``extraConfigs``; the fastest correct one is the row's "fused".
    package var topK = 4
    package var extraConfigs: [AttentionConfig] = []
    /// The unfused path timed beside it.
    package var unfusedConfig = AttentionConfig(.unfused, warps: 4)
    package var warmup = 3
    package var iterations = 20
    /// Query rows per head checked (the first, the last and a seeded sample).
    package var sampledRows = 64
    package var skipBaselines = false
    package var command = "sparrow bench attention"

    package init(patterns: [AttentionPattern]) { self.patterns = patterns }

    /// Runs every problem; `progress` gets the report so far after each row.
    package func run(note: (String) -> Void, progress: (AttentionBenchReport) throws -> Void = { _ in }) throws -> AttentionBenchReport {
        let device = try GPUDevice()
        var torch: TorchAttention?
        var skipped: String? = skipBaselines ? "--skip torch" : nil
        if !skipBaselines {
            switch TorchAttention.start() {
            case let .success(started): torch = started
            case let .failure(reason): skipped = reason.reason
            }
        }
        var report = AttentionBenchReport(
            command: command, date: ISO8601DateFormatter().string(from: Date()), commit: BuildInfo.commit, machine: BuildInfo.machine,
            gpu: device.summary, batch: batch, heads: heads, warmup: warmup, iterations: iterations, sampledRows: sampledRows,
            torch: nil, baselineSkipped: skipped)
        let batchHeads = batch * heads
        for length in lengths {
            for d in headSizes {
                for type in dtypes {
                    // Inputs depend only on (length, d, type): built once for every pattern.
                    let count = batchHeads * length * d
                    note("inputs: L=\(length) d=\(d) \(type.rawValue), \(batchHeads) heads")
                    let q = AttentionInputs.values(count: count, seed: 0).map { ElementBytes.roundTrip($0, type) }
                    let k = AttentionInputs.values(count: count, seed: 1).map { ElementBytes.roundTrip($0, type) }
                    let v = AttentionInputs.values(count: count, seed: 2).map { ElementBytes.roundTrip($0, type) }
                    let operands = try GPUAttentionOperands(device: device, q: q, k: k, v: v, type: type)
                    for pattern in patterns {
                        note("problem: \(pattern) L=\(length) d=\(d) \(type.rawValue)")
                        let problem = AttentionBenchProblem(
                            pattern: pattern, length: length, batch: batch, heads: heads, headSize: d, type: type, q: q, k: k, v: v)
                        let row = try problem.measure(self, device: device, operands: operands, torch: torch, failures: &report.failures)
                        report.rows.append(row)
                        report.torch = torch?.version
                        try progress(report)
                    }
                }
            }
        }
        return report
    }
}
