import Foundation

/// ONNX Runtime running a BERT sentence encoder, dense, on the CPU: `scripts/onnx-encoder.py
/// --serve` builds the graph from a safetensors file and config.json with the `onnx` helper API and
/// answers through one persistent ``PythonWorker`` (intra-op threads as given, ORT_ENABLE_ALL).
package final class OnnxRuntimeEncoder {
    let worker: PythonWorker
    /// onnxruntime's version.
    package private(set) var version = "unknown"

    /// The script, found under `$SPARROW_SCRIPTS`, `./scripts` or a `scripts` folder beside an
    /// ancestor of the executable (a build under `.build/` in the repository).
    static func script(_ name: String = "onnx-encoder.py") -> String? {
        var folders: [URL] = []
        if let env = ProcessInfo.processInfo.environment["SPARROW_SCRIPTS"] { folders.append(URL(fileURLWithPath: env)) }
        folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("scripts"))
        var exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(exe.appendingPathComponent("scripts"))
            exe = exe.deletingLastPathComponent()
        }
        return folders.map { $0.appendingPathComponent(name).path }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Starts the worker, or says why ONNX Runtime is skipped.
    package static func start() -> Result<OnnxRuntimeEncoder, CandidateSkipped> {
        guard let script = script() else {
            return .failure(CandidateSkipped("scripts/onnx-encoder.py not found (run from the repository, or set SPARROW_SCRIPTS)"))
        }
        if let missing = PythonWorker.missing(imports: "numpy, safetensors, onnx, onnxruntime", hint: "scripts/setup.sh installs them") {
            return .failure(missing)
        }
        do {
            return .success(OnnxRuntimeEncoder(worker: try PythonWorker(name: "onnxruntime", arguments: [script, "--serve"])))
        } catch {
            return .failure(CandidateSkipped("could not start \(PythonWorker.python): \(error)"))
        }
    }

    init(worker: PythonWorker) { self.worker = worker }

    /// Builds the graph of `weights` (a safetensors file) for `config` (config.json) and opens a session.
    package func load(config: String, weights: String, threads: Int) throws {
        let answer = try worker.request(["op": "load", "config": config, "weights": weights, "threads": threads])
        version = answer["version"] as? String ?? version
    }

    /// Embeddings of `ids` (`count` rows of `length`, every token real), row-major; the rows
    /// become the batch that ``time(warmup:iterations:)`` runs.
    package func embed(ids: [Int32], count: Int, length: Int) throws -> [Float] {
        let rows = (0..<count).map { row in ids[(row * length)..<((row + 1) * length)].map(Int.init) }
        let answer = try worker.request(["op": "run", "ids": rows])
        guard let embeddings = answer["embeddings"] as? [[Double]] else { throw CandidateSkipped("onnxruntime returned no embeddings") }
        return embeddings.flatMap { $0.map(Float.init) }
    }

    /// Seconds of each timed run of the last batch.
    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        try worker.times(warmup: warmup, iterations: iterations)
    }
}
