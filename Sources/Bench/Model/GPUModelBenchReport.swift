import Foundation
import Models

/// What `sparrow bench model --device gpu` measured: per (pattern, sparsity, dtype, batch),
/// Sparrow's GPU forward (token ids on the device to pooled embeddings on the device, one CUDA
/// graph replayed back to back) beside PyTorch eager and torch.compile(reduce-overhead) on the
/// same weights, dense, and Sparrow's text-to-embeddings time on the host.
package struct GPUModelBenchReport: Codable, Sendable {
    package var tool = "sparrow bench model --device gpu"
    package var command: String
    package var date: String
    package var commit: String
    package var machine: String
    package var gpu: String
    package var model: String
    package var sequenceLength: Int
    package var warmup: Int
    package var iterations: Int
    /// torch and transformers versions, or nil when the baselines were skipped (``baselineSkipped``).
    package var torch: String?
    package var baselineSkipped: String?
    package var rows: [Row]
    /// Correctness checks on padded batches of texts of different lengths (the mask path).
    package var paddedChecks: [PaddedCheck]
    /// Checks below the bar (cosine against PyTorch fp32: 0.9999 for f32, 0.999 for f16); empty when all pass.
    package var failures: [String] = []

    package struct Row: Codable, Sendable {
        package var pattern: String
        package var sparsity: Double
        package var dtype: String
        package var batch: Int
        package var bucket: Int
        /// Median ms per forward, graph replays back to back.
        package var sparrowMs: Double
        /// Median ms of text -> embeddings on the host (tokenising, copies, graph, copy back).
        package var sparrowHostMs: Double
        /// Same weights dense, same dtype: PyTorch eager and torch.compile(mode="reduce-overhead").
        package var torchEagerMs: Double?
        package var torchCompileMs: Double?
        /// torch.compile's (default-mode, inductor) kernels captured by hand into one CUDA graph and
        /// replayed back to back: PyTorch's GPU-only time, under Sparrow's own conditions.
        package var torchGraphMs: Double?
        /// Mean ms per pass by step kind, from profiled passes run step by step (not as a graph).
        package var split: [String: Double]
        package var sparseLayers: Int
        package var layers: Int
        /// Smallest cosine against PyTorch eager fp32 on the same weights.
        package var cosineTorch: Double?
        /// The attention kernel the run used, and each one's median ms per layer (the faster wins).
        package var attention: String
        package var attentionMs: [String: Double]
        /// Whole-forward candidates timed as graphs; the fastest is the row's plan.
        package var graphTrials: [GPULinearPlanner.GraphTrial]
        /// Per layer: what was measured alone, and the kernel of the chosen whole-forward plan.
        package var plan: [GPUPlanEntry]

        package var speedupCompile: Double? { torchCompileMs.map { $0 / sparrowMs } }
        package var speedupEager: Double? { torchEagerMs.map { $0 / sparrowMs } }
        package var speedupGraph: Double? { torchGraphMs.map { $0 / sparrowMs } }
    }

    package struct PaddedCheck: Codable, Sendable {
        package var sparsity: Double
        package var dtype: String
        package var attention: String
        package var texts: Int
        package var lengths: [Int]
        package var bucket: Int
        package var cosineTorch: Double
    }

    package func markdown() -> String {
        func ms(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }
        func x(_ v: Double?) -> String { v.map { String(format: "%.2fx", $0) } ?? "-" }
        var lines = [
            "# \(tool)", "",
            "\(model), sequence \(sequenceLength), \(gpu); \(machine); commit \(commit); \(date)",
            "torch: \(torch ?? "skipped (\(baselineSkipped ?? "?"))"); median of \(iterations) samples after \(warmup) warm-up runs; "
                + "device times are token ids on the device to pooled embeddings on the device, back to back. "
                + "torch.compile: mode reduce-overhead called from Python as a user does (host work per call included); "
                + "torch graph: the same inductor kernels captured by hand into one CUDA graph and replayed (GPU only, as Sparrow's graphs).", "",
            "| pattern | sparsity | dtype | batch | bucket | sparrow ms | host text->emb ms | torch eager ms | torch.compile ms | torch graph ms | vs compile | vs graph | vs eager | sparse layers | attention | cos vs torch fp32 | split linear/attention/norms/other ms |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in rows {
            let split = EncoderStepKind.allCases.map { ms(r.split[$0.rawValue]) }.joined(separator: " / ")
            lines.append(
                "| \(r.pattern) | \(String(format: "%.2f", r.sparsity)) | \(r.dtype) | \(r.batch) | \(r.bucket) | \(ms(r.sparrowMs)) | \(ms(r.sparrowHostMs)) | "
                    + "\(ms(r.torchEagerMs)) | \(ms(r.torchCompileMs)) | \(ms(r.torchGraphMs)) | \(x(r.speedupCompile)) | \(x(r.speedupGraph)) | \(x(r.speedupEager)) | \(r.sparseLayers)/\(r.layers) | \(r.attention) (\(r.attentionMs.sorted { $0.key < $1.key }.map { "\($0.key) \(ms($0.value))" }.joined(separator: ", "))) | "
                    + "\(r.cosineTorch.map { String(format: "%.6f", $0) } ?? "-") | \(split) |")
        }
        if !paddedChecks.isEmpty {
            lines += ["", "Padded batches (texts of different lengths, mask through attention and pooling):", ""]
            for c in paddedChecks {
                lines.append("- sparsity \(String(format: "%.2f", c.sparsity)) \(c.dtype), form \(c.attention): \(c.texts) texts, lengths \(c.lengths), bucket \(c.bucket): smallest cosine vs torch fp32 \(String(format: "%.6f", c.cosineTorch))")
            }
        }
        lines += ["", failures.isEmpty ? "Every check against PyTorch fp32 passed (f32 >= 0.9999, f16 >= 0.999)." : "CHECKS FAILED: " + failures.joined(separator: "; ")]
        for r in rows {
            lines += ["", "Plan, \(r.pattern) \(String(format: "%.2f", r.sparsity)) \(r.dtype) batch \(r.batch) (whole graphs: "
                + r.graphTrials.map { "\($0.name) \($0.ms == nil ? $0.note ?? "-" : ms($0.ms))" }.joined(separator: "; ") + "):", "", "```", GPULinearPlanner.table(r.plan), "```"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
