import CUDA
import KernelGen
import Runtime
import SparseFormats
import Tuner
import TuningStore

extension TuneJob {
    /// `--compare`: per problem, the tuned search (this job's ranking and breadth), then the
    /// exhaustive search of the same space, then the tuned search again (warm), all measured now
    /// (nothing recalled; every trial recorded in `store`); then the two picks re-timed together,
    /// interleaved.
    func compareGPU(
        _ problems: [SpMMBenchProblem], device: GPUDevice, store: TuningStore, model: LearnedCostModel?,
        progress report: @escaping @Sendable (BenchProgress) -> Void
    ) throws -> TuneReport {
        if case .exhaustive = breadth, budgetSeconds == nil {
            throw BenchSetupError("--compare compares a bounded search (--top-k or --budget) with the exhaustive one")
        }
        let context = TuningContext.gpu(device)
        let progress = TuneProgress<SpMMConfig>(report: report)
        let exhaustive = Search(space: SpMMSpace(), strategy: Exhaustive(rankedBy: HandCostModel()))
        // The bench's 16-config shortlist before the tuner: the measured portfolio, then the hand model.
        let shortlist = Search(space: SpMMSpace(), strategy: PortfolioShortlist.strategy(limit: 16))
        var report = TuneReport(
            database: store.path, device: context.deviceName, cpuReason: nil,
            strategy: gpuSearch(model: model).strategy.name + (proxy.map { ", proxy then the best \($0.keep)" } ?? "") + ", against exhaustive and the 16-config shortlist", dtype: dtype.rawValue,
            budgetSeconds: budgetSeconds, problems: [])
        for (index, problem) in problems.enumerated() {
            progress.begin(index, of: problems.count, problem)
            let setup = try gpuSetup(problem, device: device, store: store, context: context)
            if index == 0 { setup.measurer.faultAtMeasurement = injectFaultAt }
            let (spmm, measurer) = (setup.problem, setup.measurer)
            // Measured now, not recalled, so every search time is this run's; only launch
            // failures are recalled, so a config that faulted the context is never run again.
            var sink = setup.sink
            sink.recallStatuses = [.launchError]
            let matrixModel = model?.describing(setup.pattern)
            let tunedSearch = gpuSearch(model: matrixModel)
            let observed = measurer.observed(by: progress)
            let tuned: SearchResult<SpMMConfig>, full: SearchResult<SpMMConfig>, warm: SearchResult<SpMMConfig>
            let portfolio: SearchResult<SpMMConfig>
            do {
                tuned = try run(tunedSearch, spmm, measurer: observed, sink: sink)
                full = try exhaustive.run(for: spmm, measurer: observed, sink: sink)
                portfolio = try shortlist.run(for: spmm, measurer: observed, sink: sink)
                warm = try run(tunedSearch, spmm, measurer: observed, sink: sink)
            } catch {
                throw Self.searchFailure(error, problem, doing: "comparing on")
            }
            progress.step("re-timing the three picks, interleaved")
            let picks = [tuned.config, full.config, portfolio.config]
            let seconds = try retime(picks, measurer: measurer, problem: spmm, device: device)
            var row = TunedProblem(problem, tuned, defaultConfig: nil)
            row.handRankedBecause = matrixModel?.fallbackReason(for: spmm)
            var comparison = TuneComparison(
                exhaustiveConfig: full.config.description, exhaustiveTrials: full.trials.count,
                exhaustiveSearchSeconds: full.timing.total, tunedSearchSeconds: tuned.timing.total,
                tunedWarmSearchSeconds: warm.timing.total, tunedSeconds: seconds[0], exhaustiveSeconds: seconds[1])
            comparison.shortlistConfig = portfolio.config.description
            comparison.shortlistSeconds = seconds[2]
            comparison.proxy = Self.proxyAgreement(tuned, against: full)
            row.comparison = comparison
            progress.end("[\(index + 1)/\(problems.count)] \(row.progressLine)", index: index, of: problems.count)
            report.problems.append(row)
        }
        return report
    }

    /// Medians of `configs` timed in alternation (5 rounds of ``iterations`` runs each), so that
    /// drifts of the clock or the device reach all alike; a config listed twice is timed once.
    func retime(
        _ configs: [SpMMConfig], measurer: GPUSpMMMeasurer, problem: SpMMProblem, device: GPUDevice
    ) throws -> [Double] {
        var unique: [SpMMConfig] = []
        for config in configs where !unique.contains(config) { unique.append(config) }
        let kernels = try unique.map { try measurer.bind($0, for: problem) }
        var samples = Array(repeating: [Double](), count: unique.count)
        for _ in 0..<5 {
            for (index, kernel) in kernels.enumerated() {
                samples[index] += try kernel.time(device: device, warmup: warmup, iterations: iterations)
            }
        }
        return configs.map { config in unique.firstIndex(of: config).map { Statistics.median(samples[$0]) } ?? .nan }
    }

    /// With a proxy stage: how the tuned search's proxy times rank its candidates against the
    /// exhaustive search's full times of the same configs.
    static func proxyAgreement(_ tuned: SearchResult<SpMMConfig>, against full: SearchResult<SpMMConfig>) -> ProxyAgreement? {
        var proxy: [SpMMConfig: Double] = [:], times: [SpMMConfig: Double] = [:]
        for trial in tuned.proxyTrials { if let seconds = trial.seconds { proxy[trial.config] = seconds } }
        for trial in full.trials { if let seconds = trial.seconds { times[trial.config] = seconds } }
        return ProxyAgreement(proxy: proxy, full: times)
    }
}
