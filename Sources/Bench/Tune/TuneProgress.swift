import Foundation
import Synchronization
import SparseFormats
import Tuner

/// Counts what `sparrow tune` measures and reports it as one status line: the problem's place,
/// the trials measured of those planned, and the time since the job started.
final class TuneProgress<Config>: MeasurementObserver, Sendable {
    private struct State {
        var position = ""
        var planned = 0
        var measured = 0
        var failed = 0
    }

    private let state = Mutex(State())
    private let start = ContinuousClock.now
    private let report: @Sendable (BenchProgress) -> Void

    init(report: @escaping @Sendable (BenchProgress) -> Void) {
        self.report = report
    }

    /// A new problem begins: `[index + 1/count] name n=m`.
    func begin(_ index: Int, of count: Int, _ problem: SpMMBenchProblem) {
        let position = "[\(index + 1)/\(count)] \(problem.name) n=\(problem.m)"
        state.withLock { $0 = State(position: position) }
        report(BenchProgress(.step, "\(position): pruning and ranking, \(elapsed) elapsed"))
    }

    /// Seconds since the job started.
    var seconds: Double { start.duration(to: .now).seconds }

    private var elapsed: String { BenchProgress.duration(seconds) }

    /// What the current problem is doing now, besides measuring.
    func step(_ doing: String) {
        let position = state.withLock { $0.position }
        report(BenchProgress(.step, "\(position): \(doing), \(elapsed) elapsed"))
    }

    func willMeasure(_ count: Int) {
        // Each search of a problem (three with --compare) counts its own trials.
        let position = state.withLock { state in
            state.planned = count
            state.measured = 0
            state.failed = 0
            return state.position
        }
        report(BenchProgress(.step, "\(position): compiling \(count) candidates, \(elapsed) elapsed"))
    }

    func didMeasure(_ trial: Trial<Config>) {
        let line = state.withLock { state in
            state.measured += 1
            if !trial.isCorrect { state.failed += 1 }
            let failed = state.failed > 0 ? " (\(state.failed) failed)" : ""
            return "\(state.position): trial \(state.measured)/\(max(state.planned, state.measured))\(failed)"
        }
        report(BenchProgress(.step, "\(line), \(elapsed) elapsed"))
    }

    /// A problem ended: its one line, with the time left at this pace.
    func end(_ line: String, index: Int, of count: Int) {
        let done = Double(index + 1)
        let left = index + 1 < count ? seconds / done * Double(count - index - 1) : nil
        report(BenchProgress(.problem, line, secondsLeft: left))
    }
}
