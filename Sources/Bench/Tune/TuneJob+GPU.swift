import CUDA
import KernelGen
import Runtime
import SparseFormats
import Tuner
import TuningStore

extension TuneJob {
    /// The search of the GPU space, within ``budget``: with `model`, every survivor in its order
    /// or its first k; without, every survivor ranked by the portfolio and hand model, or the
    /// first k of that order (the bench's shortlist at k = 16). A top k is followed by the
    /// row-order twins of its first configs (``RowOrderTwins``): no model ranks that knob yet.
    func gpuSearch(model: LearnedCostModel?) -> Search<SpMMSpace> {
        switch (breadth.limit(standard: Self.standardTopK), model) {
        case let (nil, model?): return Search(space: space, strategy: Exhaustive(rankedBy: model), budget: budget)
        case let (k?, model?):
            // The learned model has not seen every family: its top k, then the hand model's best of those.
            let strategy = RankedTopK(model, k: k).followed(by: UnseenFamilies.strategy()).withRowOrderTwins()
            return Search(space: space, strategy: strategy, budget: budget)
        case (nil, nil): return Search(space: space, strategy: PortfolioShortlist.strategy(limit: Int.max), budget: budget)
        case let (k?, nil): return Search(space: space, strategy: PortfolioShortlist.strategy(limit: k).withRowOrderTwins(), budget: budget)
        }
    }

    /// Tunes each problem's kernel config on `device` in ``dtype``, recording every trial in
    /// `store` with the matrix's source and pattern statistics (recalled on a rerun).
    func tuneGPU(
        _ problems: [SpMMBenchProblem], device: GPUDevice, store: TuningStore, model: LearnedCostModel?,
        progress report: @escaping @Sendable (BenchProgress) -> Void
    ) throws -> TuneReport {
        let context = TuningContext.gpu(device)
        let search = gpuSearch(model: model)
        let progress = TuneProgress<SpMMConfig>(report: report)
        var report = TuneReport(
            database: store.path, device: context.deviceName, cpuReason: nil, strategy: search.strategy.name,
            dtype: dtype.rawValue, budgetSeconds: budgetSeconds, problems: [])
        for (index, problem) in problems.enumerated() {
            progress.begin(index, of: problems.count, problem)
            let setup = try gpuSetup(problem, device: device, store: store, context: context)
            if index == 0 { setup.measurer.faultAtMeasurement = injectFaultAt }
            let (spmm, measurer, sink) = (setup.problem, setup.measurer, setup.sink)
            // The learned model ranks with this matrix's statistics.
            let matrixModel = model?.describing(setup.pattern)
            let matrixSearch = matrixModel.map { gpuSearch(model: $0) } ?? search
            let result: SearchResult<SpMMConfig>
            do {
                result = try run(matrixSearch, spmm, measurer: measurer.observed(by: progress), sink: sink)
            } catch {
                throw Self.searchFailure(error, problem)
            }
            var tuned = TunedProblem(problem, result, defaultConfig: nil)
            tuned.handRankedBecause = matrixModel?.fallbackReason(for: spmm)
            progress.end("[\(index + 1)/\(problems.count)] \(tuned.progressLine)", index: index, of: problems.count)
            report.problems.append(tuned)
        }
        return report
    }

    /// `search` of `problem`, through ``proxy`` when set.
    func run(
        _ search: Search<SpMMSpace>, _ problem: SpMMProblem, measurer: some ProxyMeasurer<SpMMProblem, SpMMConfig>,
        sink: SpMMTuningStoreSink
    ) throws(SearchError<SpMMConfig>) -> SearchResult<SpMMConfig> {
        if let proxy { return try search.run(for: problem, measurer: measurer, sink: sink, proxy: proxy) }
        return try search.run(for: problem, measurer: measurer, sink: sink)
    }

    /// What tuning one problem on the GPU needs: KernelGen's problem, a measurer over the
    /// problem's operands (in ``dtype``, X from the bench's seed), the matrix's statistics, and
    /// a sink recording the trials with its source and statistics.
    struct GPUSetup {
        var problem: SpMMProblem
        var measurer: GPUSpMMMeasurer
        var pattern: PatternStatistics
        var sink: SpMMTuningStoreSink
    }

    /// The ``GPUSetup`` of `problem` on `device`, recording into `store` under `context`.
    func gpuSetup(
        _ problem: SpMMBenchProblem, device: GPUDevice, store: TuningStore, context: TuningContext
    ) throws -> GPUSetup {
        let w = problem.matrix
        let x = Self.input(for: problem)
        let verifier = try Verifier(w: w, x: try DenseMatrix(rows: w.columns, columns: problem.m, storage: x))
        let operands = try DeviceOperands(device: device, w: w, x: x, m: problem.m, type: dtype)
        let measurer = GPUSpMMMeasurer(
            device: device, operands: operands, verifier: verifier, precision: ComputePrecision(storage: dtype),
            warmup: warmup, iterations: iterations)
        let pattern = PatternStatistics(w)
        return GPUSetup(
            problem: try SpMMProblem.make(w, m: problem.m, type: dtype, device: device.limits), measurer: measurer,
            pattern: pattern,
            sink: SpMMTuningStoreSink(store: store, context: context, source: problem.source, pattern: pattern))
    }
}
