import Foundation
import Models

extension ModelBenchReport {
    /// A markdown report: provenance, then one row per (pattern, sparsity, batch).
    package func markdown() -> String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
        var lines = [
            "# \(tool)", "",
            "- command: `\(command)`",
            "- date: \(date), commit: \(commit)",
            "- machine: \(machine)",
            "- model: \(model), \(sequenceLength) tokens per text, token ids to pooled, L2-normalised embeddings, fp32",
            "- timing: median of \(iterations) runs after \(warmup) warm-up runs, every output checked first (cosine >= \(ModelBenchJob.minimumCosine) against Sparrow's dense path and ONNX Runtime)",
            "- plan: " + (rows.contains { $0.plan != nil } ? "measured per batch shape (each linear layer timed dense and sparse here, the faster kept; entries in the JSON)" : "the sparsity rule (sparse from \(LinearPlan.defaultMinimumSparsity) on)"),
            "- threads: \(threads) (Sparrow's pool; ONNX Runtime intra_op_num_threads, ORT_ENABLE_ALL)",
            "- ONNX Runtime: " + (onnxRuntime.map { "onnxruntime \($0), the same pruned weights stored dense" } ?? "skipped: \(baselineSkipped ?? "unknown")"),
        ]
        for (label, load) in [("start", loadAtStart), ("end", loadAtEnd)] {
            if let load { lines.append(String(format: "- load at %@: %.2f (1-minute average, %d cores)", label, load.oneMinute, load.cores)) }
        }
        lines += ["", "| pattern | sparsity | batch | Sparrow (ms) | ORT (ms) | x ORT | Sparrow dense (ms) | tokenise (ms) | linear | attention | norms | other | sparse layers |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for row in rows {
            let total = EncoderProfile.Kind.allCases.reduce(0) { $0 + (row.split[$1.rawValue] ?? 0) }
            let shares = EncoderProfile.Kind.allCases.map { kind in
                let value = row.split[kind.rawValue] ?? 0
                return String(format: "%.2f (%.0f%%)", value, total > 0 ? 100 * value / total : 0)
            }
            let cells = [row.pattern, String(format: "%.2f", row.sparsity), "\(row.batch)", ms(row.sparrowMs), ms(row.onnxRuntimeMs),
                         row.speedup.map { String(format: "%.2f", $0) } ?? "-", ms(row.sparrowDenseMs), ms(row.tokenizeMs)]
                + shares + ["\(row.sparseLayers)/\(row.layers)"]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append("Layer kinds: ms per pass (share) from profiled passes; linear = the linear layers (bias, GELU and residual adds fused), attention = scores, softmax, weighted sums; norms = LayerNorms; other = embeddings, pooling.")
        return lines.joined(separator: "\n") + "\n"
    }
}
