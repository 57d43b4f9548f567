import Foundation

/// What `sparrow bench attention` measured: per (pattern, length, head size, dtype), Sparrow's
/// fused and unfused kernels beside PyTorch's SDPA with a dense mask, FlexAttention with the
/// equivalent block mask and SDPA without a mask, in the same run, with every output checked.
package struct AttentionBenchReport: Codable, Sendable {
    package var tool = "sparrow bench attention"
    package var command: String
    package var date: String
    package var commit: String
    package var machine: String
    package var gpu: String
    package var batch: Int
    package var heads: Int
    package var warmup: Int
    package var iterations: Int
    /// Query rows per head the Float64 reference and the baseline comparison check.
    package var sampledRows: Int
    package var torch: String?
    package var baselineSkipped: String?
    /// Caches: "warm" (back-to-back calls on the same operands).
    package var caches = "warm"
    package var rows: [Row] = []
    /// Checks that failed; empty when all passed.
    package var failures: [String] = []

    package struct Timing: Codable, Sendable {
        package var name: String
        /// Median ms per call (all of a path's launches), or nil with ``failure``.
        package var ms: Double?
        /// Median over minimum of the samples.
        package var spread: Double?
        /// Useful TFLOP/s: 4 nnz d per batch x head over the median.
        package var tflops: Double?
        /// Device bytes the call needs beyond Q, K, V and O (metadata, scores, masks, workspace).
        package var extraBytes: Int?
        /// Relative L2 error on the sampled rows against the Float64 reference.
        package var errorVsReference: Double?
        package var failure: String?
    }

    package struct Row: Codable, Sendable {
        package var pattern: String
        package var length: Int
        package var headSize: Int
        package var dtype: String
        /// Stored (query, key) pairs per head, and nnz / L².
        package var nnz: Int
        package var density: Double
        package var segmentsPerRow: Int
        package var viewStride: Int
        /// Every Sparrow config timed (fused and unfused).
        package var sparrow: [Timing]
        /// The fastest correct fused config, and the unfused path.
        package var fused: Timing?
        package var unfused: Timing?
        /// SDPA with a dense mask, FlexAttention, SDPA without a mask.
        package var baselines: [Timing]
        package var torchSetup: TorchAttention.Setup?
        /// FlexAttention's first call (compilation included), ms.
        package var flexFirstCallMs: Double?
        /// Sparrow's fused output against FlexAttention's on the sampled rows with keys.
        package var fusedVsFlex: Double?

        func baseline(_ name: String) -> Timing? { baselines.first { $0.name == name } }
        package var speedupVsFlex: Double? { ratio(baseline("flex")?.ms, fused?.ms) }
        package var speedupVsSDPAMask: Double? { ratio(baseline("sdpa-mask")?.ms, fused?.ms) }
        package var speedupVsSDPADense: Double? { ratio(baseline("sdpa-dense")?.ms, fused?.ms) }
        package var fusedVsUnfused: Double? { ratio(unfused?.ms, fused?.ms) }
        func ratio(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
    }

    package func markdown() -> String {
        func ms(_ t: Timing?) -> String { t?.ms.map { String(format: "%.3f", $0) + ((t?.spread ?? 1) > 1.5 ? "~" : "") } ?? "-" }
        func tf(_ t: Timing?) -> String { t?.tflops.map { String(format: "%.1f", $0) } ?? "-" }
        func x(_ v: Double?) -> String { v.map { String(format: "%.2fx", $0) } ?? "-" }
        func mib(_ t: Timing?) -> String { t?.extraBytes.map { String(format: "%.1f", Double($0) / 1_048_576) } ?? "-" }
        var lines = [
            "# \(tool)", "",
            "\(gpu); \(machine); commit \(commit); \(date)",
            "batch \(batch) x \(heads) heads; median of \(iterations) samples after \(warmup) warm-up calls, caches \(caches); "
                + "torch: \(torch ?? "skipped (\(baselineSkipped ?? "?"))"); TFLOP/s of useful work (4 nnz d per head); "
                + "extra MiB: device memory beyond Q, K, V, O; outputs checked on \(sampledRows) rows per head.", "",
            "| pattern | L | d | dtype | density | fused (cfg) ms | TFLOP/s | unfused ms | flex ms | SDPA mask ms | SDPA dense ms | vs flex | vs SDPA mask | fused vs unfused | extra MiB fused / unfused / flex / SDPA mask | flex block mask / first call ms | err vs ref | vs flex |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in rows {
            let setup = r.torchSetup.map { String(format: "%.1f", $0.blockMaskMs) } ?? "-"
            let first = r.flexFirstCallMs.map { String(format: "%.0f", $0) } ?? "-"
            lines.append(
                "| \(r.pattern) | \(r.length) | \(r.headSize) | \(r.dtype) | \(String(format: "%.4f", r.density)) | "
                    + "\(ms(r.fused)) (\(r.fused?.name ?? "-")) | \(tf(r.fused)) | \(ms(r.unfused)) | \(ms(r.baseline("flex"))) | "
                    + "\(ms(r.baseline("sdpa-mask"))) | \(ms(r.baseline("sdpa-dense"))) | \(x(r.speedupVsFlex)) | \(x(r.speedupVsSDPAMask)) | "
                    + "\(x(r.fusedVsUnfused)) | \(mib(r.fused)) / \(mib(r.unfused)) / \(mib(r.baseline("flex"))) / \(mib(r.baseline("sdpa-mask"))) | "
                    + "\(setup) / \(first) | \(r.fused?.errorVsReference.map { String(format: "%.1e", $0) } ?? "-") | "
                    + "\(r.fusedVsFlex.map { String(format: "%.1e", $0) } ?? "-") |")
        }
        lines += ["", failures.isEmpty ? "Every output checked out (Float64 reference on sampled rows; FlexAttention and SDPA on the same rows)." : "CHECKS FAILED: " + failures.joined(separator: "; ")]
        return lines.joined(separator: "\n") + "\n"
    }
}
