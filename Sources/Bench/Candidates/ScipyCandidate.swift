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
    let worker: PythonWorker
    let folder: URL

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

    /// Starts Python; nil (with the reason) when the interpreter, NumPy or scipy is missing.
    package static func start() -> Result<ScipyCandidate, CandidateSkipped> {
        if let missing = PythonWorker.missing(imports: "numpy, scipy.sparse", hint: "scripts/setup.sh installs them") { return .failure(missing) }
        do {
            return .success(try ScipyCandidate())
        } catch {
            return .failure(CandidateSkipped("could not start \(PythonWorker.python): \(error)"))
        }
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-scipy-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        worker = try PythonWorker(name: "scipy", arguments: ["-c", ScipyCandidate.script])
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    var paths: (w: String, x: String, y: String) {
        (folder.appendingPathComponent("w.npz").path, folder.appendingPathComponent("x.npy").path, folder.appendingPathComponent("y.npy").path)
    }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let p = paths
        try NPZ.write(AnySparseMatrix(problem.matrix), to: p.w)
        try NPY.write(AnyDenseTensor(shape: [problem.matrix.columns, problem.m], values: x), to: p.x)
        try? FileManager.default.removeItem(atPath: p.y)
        _ = try worker.request(["op": "load", "w": p.w, "x": p.x, "y": p.y])
    }

    package func output() throws -> [Float] {
        guard case let .dense(tensor) = try SparseFile.read(paths.y), let values = tensor.values(as: Float.self) else {
            throw CandidateSkipped("scipy wrote no float32 result")
        }
        return values
    }

    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        try worker.times(warmup: warmup, iterations: iterations)
    }
}
