import Foundation

/// PyTorch on the GPU running the same BERT sentence encoder, dense: `scripts/torch-encoder.py
/// --serve` (transformers' BertModel + mean pooling + L2 normalisation, eager and
/// torch.compile(mode="reduce-overhead"), fp32 and fp16) in one persistent ``PythonWorker``.
package final class TorchEncoder {
    let worker: PythonWorker
    /// torch's and transformers' versions.
    package private(set) var version = "unknown"

    /// Starts the worker, or says why the PyTorch baselines are skipped.
    package static func start() -> Result<TorchEncoder, CandidateSkipped> {
        guard let script = OnnxRuntimeEncoder.script("torch-encoder.py") else {
            return .failure(CandidateSkipped("scripts/torch-encoder.py not found (run from the repository, or set SPARROW_SCRIPTS)"))
        }
        if let missing = PythonWorker.missing(imports: "torch, transformers, safetensors", hint: "the GPU machine has them") {
            return .failure(missing)
        }
        do {
            return .success(TorchEncoder(worker: try PythonWorker(name: "torch", arguments: [script, "--serve"])))
        } catch {
            return .failure(CandidateSkipped("could not start \(PythonWorker.python): \(error)"))
        }
    }

    init(worker: PythonWorker) { self.worker = worker }

    /// Loads `weights` (safetensors) into one model per dtype ("f32", "f16"), in place after the first load.
    package func load(config: String, weights: String, dtypes: [String]) throws {
        let answer = try worker.request(["op": "load", "config": config, "weights": weights, "dtypes": dtypes])
        version = answer["version"] as? String ?? version
    }

    /// Embeddings (fp32, row-major) of `count` rows of `length` ids with their mask; the rows become
    /// the input that ``time(dtype:mode:warmup:iterations:)`` runs.
    package func embed(ids: [Int32], mask: [Int32], count: Int, length: Int, dtype: String, mode: String) throws -> [Float] {
        let rows = (0..<count).map { row in ids[(row * length)..<((row + 1) * length)].map(Int.init) }
        let masks = (0..<count).map { row in mask[(row * length)..<((row + 1) * length)].map(Int.init) }
        let answer = try worker.request(["op": "run", "ids": rows, "mask": masks, "dtype": dtype, "mode": mode])
        guard let embeddings = answer["embeddings"] as? [[Double]] else { throw CandidateSkipped("torch returned no embeddings") }
        return embeddings.flatMap { $0.map(Float.init) }
    }

    /// Seconds per forward of the last input, back to back on the device.
    package func time(dtype: String, mode: String, warmup: Int, iterations: Int) throws -> [Double] {
        let answer = try worker.request(["op": "time", "warmup": warmup, "iterations": iterations, "dtype": dtype, "mode": mode])
        guard let times = answer["times"] as? [Double] else { throw CandidateSkipped("torch returned no times") }
        return times
    }
}
