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
        var report = TuneReport(
            database: store.path, device: context.deviceName, cpuReason: nil,
            strategy: gpuSearch(model: model).strategy.name + ", against exhaustive", dtype: dtype.rawValue,
            budgetSeconds: budgetSeconds, problems: [])
        for (index, problem) in problems.enumerated() {
            progress.begin(index, of: problems.count, problem)
            let setup = try gpuSetup(problem, device: device, store: store, context: context)
            let (spmm, measurer) = (setup.problem, setup.measurer)
            // Measured now, not recalled, so both search times are this run's.
            var sink = setup.sink
            sink.recallStatuses = []
            let matrixModel = model?.describing(setup.pattern)
            let tunedSearch = gpuSearch(model: matrixModel)
            let observed = measurer.observed(by: progress)
            let tuned: SearchResult<SpMMConfig>, full: SearchResult<SpMMConfig>, warm: SearchResult<SpMMConfig>
            do {
                tuned = try tunedSearch.run(for: spmm, measurer: observed, sink: sink)
                full = try exhaustive.run(for: spmm, measurer: observed, sink: sink)
                warm = try tunedSearch.run(for: spmm, measurer: observed, sink: sink)
            } catch {
                throw BenchSetupError("comparing on \(problem.name) n=\(problem.m): \(error)")
            }
            progress.step("re-timing the two picks, interleaved")
            let (tunedSeconds, exhaustiveSeconds) = try retime(tuned.config, against: full.config, measurer: measurer, problem: spmm, device: device)
            var row = TunedProblem(problem, tuned, defaultConfig: nil)
            row.handRankedBecause = matrixModel?.fallbackReason(for: spmm)
            row.comparison = TuneComparison(
                exhaustiveConfig: full.config.description, exhaustiveTrials: full.trials.count,
                exhaustiveSearchSeconds: full.timing.total, tunedSearchSeconds: tuned.timing.total,
                tunedWarmSearchSeconds: warm.timing.total, tunedSeconds: tunedSeconds, exhaustiveSeconds: exhaustiveSeconds)
            progress.end("[\(index + 1)/\(problems.count)] \(row.progressLine)", index: index, of: problems.count)
            report.problems.append(row)
        }
        return report
    }

    /// Medians of `tuned` and `best` timed in alternation (5 rounds of ``iterations`` runs each),
    /// so that drifts of the clock or the device reach both alike.
    func retime(
        _ tuned: SpMMConfig, against best: SpMMConfig, measurer: GPUSpMMMeasurer, problem: SpMMProblem, device: GPUDevice
    ) throws -> (tuned: Double, best: Double) {
        let a = try measurer.bind(tuned, for: problem)
        let b = tuned == best ? a : try measurer.bind(best, for: problem)
        var samplesA: [Double] = [], samplesB: [Double] = []
        for _ in 0..<5 {
            samplesA += try a.time(device: device, warmup: warmup, iterations: iterations)
            samplesB += try b.time(device: device, warmup: warmup, iterations: iterations)
        }
        return (Statistics.median(samplesA), Statistics.median(samplesB))
    }
}
