import CUDA
import KernelGen
import Runtime
import SparseFormats
import Tuner
import TuningStore

extension TuneJob {
    /// `--compare`: per problem, the tuned search (this job's ranking and breadth), then the
    /// exhaustive search of the same space, then the bench's 16-config shortlist, then the tuned
    /// search again (warm), and with ``proxy`` the tuned search through the proxy stage, all
    /// measured now (only launch failures recalled; every trial recorded in `store`); then the
    /// picks re-timed together, interleaved.
    func compareGPU(
        _ problems: [SpMMBenchProblem], device: GPUDevice, store: TuningStore, model: LearnedCostModel?,
        progress report: @escaping @Sendable (BenchProgress) -> Void
    ) throws -> TuneReport {
        if case .exhaustive = breadth, budgetSeconds == nil {
            throw BenchSetupError("--compare compares a bounded search (--top-k or --budget) with the exhaustive one")
        }
        let context = TuningContext.gpu(device)
        let progress = TuneProgress<SpMMConfig>(report: report)
        var report = TuneReport(
            database: store.path, device: context.deviceName, cpuReason: nil,
            strategy: gpuSearch(model: model).strategy.name + " against exhaustive and the 16-config shortlist"
                + (proxy.map { "; with a proxy stage keeping \($0.keep)" } ?? ""),
            dtype: dtype.rawValue, budgetSeconds: budgetSeconds, problems: [])
        for (index, problem) in problems.enumerated() {
            progress.begin(index, of: problems.count, problem)
            let setup = try gpuSetup(problem, device: device, store: store, context: context)
            if index == 0 { setup.measurer.faultAtMeasurement = injectFaultAt }
            let row: TunedProblem
            do {
                row = try compare(problem, setup, device: device, model: model?.describing(setup.pattern), progress: progress)
            } catch let error as SearchError<SpMMConfig> {
                throw Self.searchFailure(error, problem, doing: "comparing on")
            }
            progress.end("[\(index + 1)/\(problems.count)] \(row.progressLine)", index: index, of: problems.count)
            report.problems.append(row)
        }
        return report
    }

    /// One problem of ``compareGPU(_:device:store:model:progress:)``.
    func compare(
        _ problem: SpMMBenchProblem, _ setup: GPUSetup, device: GPUDevice, model: LearnedCostModel?,
        progress: TuneProgress<SpMMConfig>
    ) throws -> TunedProblem {
        let (spmm, measurer) = (setup.problem, setup.measurer)
        // Measured now, not recalled, so every search time is this run's; only launch failures
        // are recalled, so a config that faulted the context is never run again.
        var sink = setup.sink
        sink.recallStatuses = [.launchError]
        let tunedSearch = gpuSearch(model: model)
        // The bench's 16-config shortlist before the tuner: the measured portfolio, then the hand model.
        let shortlist = Search(space: space, strategy: PortfolioShortlist.strategy(limit: 16))
        let exhaustive = Search(space: space, strategy: Exhaustive(rankedBy: HandCostModel()))
        let observed = measurer.observed(by: progress)
        let tuned = try tunedSearch.run(for: spmm, measurer: observed, sink: sink)
        let full = try exhaustive.run(for: spmm, measurer: observed, sink: sink)
        let portfolio = try shortlist.run(for: spmm, measurer: observed, sink: sink)
        let warm = try tunedSearch.run(for: spmm, measurer: observed, sink: sink)
        let proxied = try proxy.map { try tunedSearch.run(for: spmm, measurer: observed, sink: sink, proxy: $0) }

        progress.step("re-timing the picks, interleaved")
        let picks = [tuned.config, full.config, portfolio.config] + (proxied.map { [$0.config] } ?? [])
        let seconds: [Double]
        do {
            seconds = try retime(picks, measurer: measurer, problem: spmm, device: device)
        } catch {
            throw BenchSetupError("re-timing the picks on \(problem.name) n=\(problem.m): \(error)")
        }
        var row = TunedProblem(problem, tuned, defaultConfig: nil)
        row.handRankedBecause = model?.fallbackReason(for: spmm)
        var comparison = TuneComparison(
            exhaustiveConfig: full.config.description, exhaustiveTrials: full.trials.count,
            exhaustiveSearchSeconds: full.timing.total, tunedSearchSeconds: tuned.timing.total,
            tunedWarmSearchSeconds: warm.timing.total, tunedSeconds: seconds[0], exhaustiveSeconds: seconds[1])
        comparison.shortlistConfig = portfolio.config.description
        comparison.shortlistSeconds = seconds[2]
        if let proxied {
            comparison.proxyConfig = proxied.config.description
            comparison.proxySeconds = seconds[3]
            comparison.proxySearchSeconds = proxied.timing.total
            comparison.proxyAgreement = Self.proxyAgreement(proxied, against: full)
        }
        row.comparison = comparison
        return row
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
