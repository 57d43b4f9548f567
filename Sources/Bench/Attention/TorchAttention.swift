import Foundation

/// PyTorch's attention baselines on the GPU (`scripts/torch-attention.py --serve`, one persistent
/// ``PythonWorker``): SDPA with a dense boolean mask, FlexAttention with the equivalent block
/// mask, and SDPA without a mask, on inputs built from ``AttentionInputs`` on the device.
package final class TorchAttention {
    /// The baselines, as the script names them.
    package static let baselines = ["sdpa-mask", "flex", "sdpa-dense"]

    let worker: PythonWorker
    package private(set) var version = "unknown"

    /// Starts the worker, or says why the PyTorch baselines are skipped.
    package static func start() -> Result<TorchAttention, CandidateSkipped> {
        guard let script = OnnxRuntimeEncoder.script("torch-attention.py") else {
            return .failure(CandidateSkipped("scripts/torch-attention.py not found (run from the repository, or set SPARROW_SCRIPTS)"))
        }
        if let missing = PythonWorker.missing(imports: "torch", hint: "the GPU machine has it") { return .failure(missing) }
        do {
            return .success(TorchAttention(worker: try PythonWorker(name: "torch", arguments: [script, "--serve"])))
        } catch {
            return .failure(CandidateSkipped("could not start \(PythonWorker.python): \(error)"))
        }
    }

    init(worker: PythonWorker) { self.worker = worker }

    /// What building one problem's inputs and masks cost on the PyTorch side.
    package struct Setup: Codable, Sendable {
        /// The dense L x L boolean mask (SDPA's).
        package var denseMaskMs: Double
        /// `create_block_mask` (FlexAttention's).
        package var blockMaskMs: Double
        /// The fraction of 128 x 128 blocks the block mask skips, as FlexAttention reports it.
        package var blockSparsity: Double?
    }

    /// Builds Q, K, V (operands `seed`, `seed + 1`, `seed + 2`) and both masks for `pattern`.
    package func setup(pattern: String, length: Int, batch: Int, heads: Int, headSize: Int, dtype: String, seed: Int) throws -> Setup {
        let answer = try worker.request([
            "op": "setup", "pattern": pattern, "length": length, "batch": batch, "heads": heads, "head_size": headSize,
            "dtype": dtype, "seed": seed,
        ])
        version = answer["version"] as? String ?? version
        return Setup(
            denseMaskMs: answer["mask_ms"] as? Double ?? .nan, blockMaskMs: answer["block_mask_ms"] as? Double ?? .nan,
            blockSparsity: answer["block_sparsity"] as? Double)
    }

    /// Runs `baseline` once: the output rows (fp32, every batch x head at `rows`, head-major) and
    /// the call's milliseconds (the first call of a compiled baseline includes its compilation).
    package func run(_ baseline: String, rows: [Int]) throws -> (out: [Double], ms: Double) {
        let answer = try worker.request(["op": "run", "which": baseline, "rows": rows])
        guard let out = answer["out"] as? [[Double]] else { throw CandidateSkipped("torch returned no output for \(baseline)") }
        return (out.flatMap { $0 }, answer["first_call_ms"] as? Double ?? .nan)
    }

    /// Seconds per call of `baseline`, and the peak device memory above the inputs while timed.
    package func time(_ baseline: String, warmup: Int, iterations: Int) throws -> (times: [Double], peakExtraBytes: Int) {
        let answer = try worker.request(["op": "time", "which": baseline, "warmup": warmup, "iterations": iterations])
        guard let times = answer["times"] as? [Double] else { throw CandidateSkipped("torch returned no times for \(baseline)") }
        return (times, answer["peak_extra_bytes"] as? Int ?? 0)
    }

    /// Drops the last setup's tensors.
    package func free() throws { _ = try worker.request(["op": "free"]) }
}
