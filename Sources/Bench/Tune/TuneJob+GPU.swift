import CUDA
import KernelGen
import Runtime
import SparseFormats
import Tuner
import TuningStore

extension TuneJob {
    /// The search of the GPU space: every survivor ranked by the portfolio and hand model, or the
    /// first k of that order (the bench's shortlist at k = 16).
    func gpuSearch() -> Search<SpMMSpace> {
        switch breadth {
        case .exhaustive: Search(space: SpMMSpace(), strategy: PortfolioShortlist.strategy(limit: Int.max))
        case let .topK(k): Search(space: SpMMSpace(), strategy: PortfolioShortlist.strategy(limit: k))
        }
    }

    /// Tunes each problem's kernel config on `device` in fp32, recording every trial in `store`
    /// (recalled on a rerun).
    func tuneGPU(
        _ problems: [SpMMBenchProblem], device: GPUDevice, store: TuningStore, note: @escaping @Sendable (String) -> Void
    ) throws -> TuneReport {
        let context = TuningContext.gpu(device)
        let sink = SpMMTuningStoreSink(store: store, context: context)
        let search = gpuSearch()
        var report = TuneReport(
            database: store.path, device: context.deviceName, cpuReason: nil, strategy: search.strategy.name, problems: [])
        for (index, problem) in problems.enumerated() {
            let w = problem.matrix
            let x = Self.input(for: problem)
            let verifier = try Verifier(w: w, x: try DenseMatrix(rows: w.columns, columns: problem.m, storage: x))
            let spmm = try SpMMProblem.make(w, m: problem.m, type: .f32, device: device.limits)
            let operands = try DeviceOperands(device: device, w: w, x: x, m: problem.m, type: .f32)
            let measurer = GPUSpMMMeasurer(
                device: device, operands: operands, verifier: verifier, precision: .fp32, warmup: warmup,
                iterations: iterations)
            let result: SearchResult<SpMMConfig>
            do {
                result = try search.run(for: spmm, measurer: measurer, sink: sink)
            } catch {
                throw BenchSetupError("tuning \(problem.name) n=\(problem.m): \(error)")
            }
            let tuned = TunedProblem(
                name: problem.name, rows: w.rows, columns: w.columns, nnz: w.nnz, n: problem.m,
                enumerated: result.prune.survivors.count + result.prune.removed.count,
                candidates: result.prune.survivors.count, measured: result.trials.count - result.recalled,
                recalled: result.recalled, chosen: result.config.description, seconds: result.best.seconds ?? 0,
                defaultConfig: nil, defaultSeconds: nil, searchSeconds: result.timing.total)
            note("[\(index + 1)/\(problems.count)] \(tuned.progressLine)")
            report.problems.append(tuned)
        }
        return report
    }
}
