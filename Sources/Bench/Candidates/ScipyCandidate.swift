import Runtime
import Foundation
import SparseFormats
import SparseIO

/// scipy's `csr_matrix @ ndarray` on the same data, timed inside one persistent Python
/// process (so interpreter start-up is never timed), as the CPU baseline ML engineers know.
///
/// W goes over as a scipy `.npz` and X as `.npy` through a temporary folder; Python times
/// `w @ x` with `time.perf_counter` and answers one JSON line per request.
package final class ScipyCandidate: SpMMCandidate {
    package let name = "scipy"
    package let role = CandidateRole.baseline
    package let precision = ComputePrecision.fp32
    let process: Process
    let input: FileHandle
    let outputPipe: Pipe
    let folder: URL
    var buffered = Data()

    static let script = """
        import json, sys, time
        import numpy as np, scipy.sparse as sp
        w = x = None
        for line in sys.stdin:
            req = json.loads(line)
            try:
                if req["op"] == "load":
                    w = sp.load_npz(req["w"]).tocsr(); x = np.load(req["x"])
                    np.save(req["y"], np.ascontiguousarray(w @ x, dtype=np.float32))
                    out = {"ok": True}
                else:
                    for _ in range(req["warmup"]): w @ x
                    times = []
                    for _ in range(req["iterations"]):
                        t = time.perf_counter(); w @ x; times.append(time.perf_counter() - t)
                    out = {"ok": True, "times": times}
            except Exception as e:
                out = {"ok": False, "error": repr(e)}
            print(json.dumps(out), flush=True)
        """

    /// The interpreter: `$SPARROW_PYTHON` (set by `scripts/setup.sh` to its virtual environment),
    /// else `python3` on PATH.
    static var python: String { ProcessInfo.processInfo.environment["SPARROW_PYTHON"] ?? "python3" }

    /// Starts Python; nil (with the reason) when the interpreter, NumPy or scipy is missing.
    package static func start() -> Result<ScipyCandidate, CandidateSkipped> {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [python, "-c", "import numpy, scipy.sparse"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        do {
            try check.run()
            check.waitUntilExit()
        } catch {
            return .failure(CandidateSkipped("\(python) not found: \(error)"))
        }
        guard check.terminationStatus == 0 else { return .failure(CandidateSkipped("\(python) lacks numpy or scipy (scripts/setup.sh installs them)")) }
        do {
            return .success(try ScipyCandidate())
        } catch {
            return .failure(CandidateSkipped("could not start \(python): \(error)"))
        }
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-scipy-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Self.python, "-u", "-c", ScipyCandidate.script]
        let inPipe = Pipe()
        outputPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outputPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        input = inPipe.fileHandleForWriting
    }

    deinit {
        try? input.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    func request(_ fields: [String: Any]) throws -> [String: Any] {
        let line = try JSONSerialization.data(withJSONObject: fields) + Data("\n".utf8)
        input.write(line)
        let reader = outputPipe.fileHandleForReading
        while !buffered.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { throw CandidateSkipped("the scipy process ended") }
            buffered.append(chunk)
        }
        guard let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) else { throw CandidateSkipped("no answer from scipy") }
        let answer = buffered[buffered.startIndex..<newline]
        buffered = Data(buffered[(newline + 1)...])
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any] else {
            throw CandidateSkipped("scipy answered something that is not JSON")
        }
        guard object["ok"] as? Bool == true else { throw CandidateSkipped("scipy: \(object["error"] ?? "failed")") }
        return object
    }

    var paths: (w: String, x: String, y: String) {
        (folder.appendingPathComponent("w.npz").path, folder.appendingPathComponent("x.npy").path, folder.appendingPathComponent("y.npy").path)
    }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let p = paths
        try NPZ.write(AnySparseMatrix(problem.matrix), to: p.w)
        try NPY.write(AnyDenseTensor(shape: [problem.matrix.columns, problem.m], values: x), to: p.x)
        try? FileManager.default.removeItem(atPath: p.y)
        _ = try request(["op": "load", "w": p.w, "x": p.x, "y": p.y])
    }

    package func output() throws -> [Float] {
        guard case let .dense(tensor) = try SparseFile.read(paths.y), let values = tensor.values(as: Float.self) else {
            throw CandidateSkipped("scipy wrote no float32 result")
        }
        return values
    }

    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        let answer = try request(["op": "time", "warmup": warmup, "iterations": iterations])
        guard let times = answer["times"] as? [Double] else { throw CandidateSkipped("scipy returned no times") }
        return times
    }
}
