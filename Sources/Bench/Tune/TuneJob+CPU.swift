import Foundation
import Runtime
import SparseFormats
import Tuner
import TuningStore

extension TuneJob {
    /// The search of the CPU plan's space: every survivor in enumeration order (or the first k),
    /// and the default plan as an extra, so it is always timed beside the tuned one and the
    /// choice is never slower than it as measured.
    func cpuSearch(defaults: CPUPlanConfig) -> Search<CPUPlanSpace> {
        let all = Exhaustive<CPUSpMMProblem, CPUPlanConfig>()
        guard let k = breadth.limit(standard: nil) else {
            return Search(space: CPUPlanSpace(), strategy: all, extras: [defaults], budget: budget)
        }
        return Search(space: CPUPlanSpace(), strategy: all.limited(to: k), extras: [defaults], budget: budget)
    }

    /// Tunes the CPU plan of each problem in f32, recording every trial in `store` (recalled on
    /// a rerun).
    func tuneCPU(
        _ problems: [SpMMBenchProblem], store: TuningStore, reason: String?,
        progress report: @escaping @Sendable (BenchProgress) -> Void
    ) throws -> TuneReport {
        let context = TuningContext.hostCPU()
        let defaults = CPUPlanConfig.defaults(cores: CPUSpMMProblem(rows: 0, columns: 0, storedCount: 0, m: 1).cores)
        let search = cpuSearch(defaults: defaults)
        let progress = TuneProgress<CPUPlanConfig>(report: report)
        var report = TuneReport(
            database: store.path, device: context.deviceName, cpuReason: reason,
            strategy: search.strategy.name + ", plus the default plan", dtype: "f32", budgetSeconds: budgetSeconds,
            problems: [])
        for (index, problem) in problems.enumerated() {
            progress.begin(index, of: problems.count, problem)
            let w = problem.matrix
            let x = Self.input(for: problem)
            let verifier = try Verifier(w: w, x: try DenseMatrix(rows: w.columns, columns: problem.m, storage: x))
            let measurer = CPUSpMMMeasurer(w: w, x: x, m: problem.m, verifier: verifier, warmup: warmup, iterations: iterations)
            let sink = TuningStoreSink(
                store: store, context: context,
                keying: CPUPlanTrialKeying(pattern: w.patternDigest, source: problem.source, statistics: PatternStatistics(w)))
            let cpuProblem = CPUSpMMProblem(w, m: problem.m)
            let result: SearchResult<CPUPlanConfig>
            do {
                if index == 0, let injectFaultAt {
                    let faulting = FaultInjectingMeasurer(measurer, faultAt: injectFaultAt)
                    result = try search.run(for: cpuProblem, measurer: faulting.observed(by: progress), sink: sink)
                } else {
                    result = try search.run(for: cpuProblem, measurer: measurer.observed(by: progress), sink: sink)
                }
            } catch {
                throw Self.searchFailure(error, problem)
            }
            let tuned = TunedProblem(problem, result, defaultConfig: defaults)
            progress.end("[\(index + 1)/\(problems.count)] \(tuned.progressLine)", index: index, of: problems.count)
            report.problems.append(tuned)
        }
        return report
    }

    /// X for `problem`: the bench's seeded values, so tune and bench time the same operands.
    static func input(for problem: SpMMBenchProblem) -> [Float] {
        var generator = BenchRunner.generator(for: problem)
        return generator.signedUnitValues(problem.matrix.columns * problem.m)
    }
}

extension TunedProblem {
    /// One line for stderr as each problem ends.
    package var progressLine: String {
        var line = "\(name) n=\(n): \(candidates) of \(enumerated) candidates after pruning, measured \(measured), "
            + "recalled \(recalled); chosen \(chosen) " + Self.time(seconds)
        if let defaultSeconds, let speedup {
            line += ", default " + Self.time(defaultSeconds) + String(format: " (%.2fx)", speedup)
        }
        line += String(format: "; search %.1f s", searchSeconds)
        if let compileSeconds, compileSeconds >= 0.05 { line += String(format: " (compiling %.1f s)", compileSeconds) }
        if stop == .timeBudget { line += ", stopped by the time budget" }
        if let handRankedBecause { line += "; ranked by the hand model: \(handRankedBecause)" }
        return line
    }

    /// Seconds in the unit that reads best (µs or ms).
    package static func time(_ seconds: Double) -> String {
        seconds < 1e-3 ? String(format: "%.1f µs", seconds * 1e6) : String(format: "%.3f ms", seconds * 1e3)
    }
}
