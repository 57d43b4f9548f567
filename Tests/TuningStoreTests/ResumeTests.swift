import Foundation
import KernelGen
import Synchronization
import Testing
import Tuner
import TuningStore

/// A measurer that times nothing: each config's time follows from its tile width, and every
/// call is listed.
final class FakeSpMMMeasurer: Measurer, Sendable {
    private let calls = Mutex<[SpMMConfig]>([])

    var measured: [SpMMConfig] { calls.withLock { $0 } }

    func measure(_ config: SpMMConfig, for problem: SpMMProblem) -> Trial<SpMMConfig> {
        calls.withLock { $0.append(config) }
        let width = config.asTiled?.tileWidth ?? 1
        return Trial(config: config, status: .ok(seconds: 1e-3 / Double(width)), sampleSeconds: [1e-3], compileSeconds: 0.5)
    }
}

/// Stands for a process killed mid-run: after `limit` trials it throws instead of storing the
/// next one, so that trial is lost as a Ctrl-C would lose the trial in flight.
final class InterruptedSink: TrialSink {
    struct Interrupted: Error {}
    let base: SpMMTuningStoreSink
    let limit: Int
    let stored = Mutex(0)

    init(base: SpMMTuningStoreSink, limit: Int) {
        self.base = base
        self.limit = limit
    }

    func record(_ trial: Trial<SpMMConfig>, for problem: SpMMProblem) throws {
        try stored.withLock { count in
            guard count < limit else { throw Interrupted() }
            count += 1
        }
        try base.record(trial, for: problem)
    }

    func recall(_ config: SpMMConfig, for problem: SpMMProblem) -> Trial<SpMMConfig>? {
        base.recall(config, for: problem)
    }
}

@Suite struct ResumeTests {
    @Test func aRerunAfterAnInterruptionMeasuresOnlyWhatWasNotStored() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("t.sqlite")
        let problem = try makeProblem()
        let configs = [32, 64, 128, 256].map { tiled($0) } + [tiled(32, chunk: 64), .simpleCSR()]
        let search = Search(space: SpMMSpace(rules: []), strategy: FixedList(configs))
        #expect(search.schedule(for: problem).shortlist == configs)

        // First run: three trials stored, the fourth measured but lost with the "crash".
        let first = FakeSpMMMeasurer()
        let interrupted = InterruptedSink(base: SpMMTuningStoreSink(store: try TuningStore(path: path), context: h200), limit: 3)
        #expect(throws: SearchError<SpMMConfig>.self) {
            try search.run(for: problem, measurer: first, sink: interrupted)
        }
        #expect(first.measured == Array(configs.prefix(4)))

        // The rerun (a fresh store on the same file, as a new process) recalls the three and
        // measures the other three, the lost one included.
        let second = FakeSpMMMeasurer()
        let store = try TuningStore(path: path)
        let result = try search.run(for: problem, measurer: second, sink: SpMMTuningStoreSink(store: store, context: h200))
        #expect(second.measured == Array(configs.dropFirst(3)))
        #expect(result.recalled == 3)
        #expect(result.trials.map(\.config) == configs)
        #expect(result.best.config == tiled(256))
        #expect(try store.allTrials().count == configs.count)

        // A third run measures nothing.
        let third = FakeSpMMMeasurer()
        let again = try search.run(for: problem, measurer: third, sink: SpMMTuningStoreSink(store: store, context: h200))
        #expect(third.measured.isEmpty)
        #expect(again.best == result.best)
    }

    @Test func aNewContextMeasuresAfresh() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let problem = try makeProblem()
        let configs = [tiled(32), tiled(64)]
        let search = Search(space: SpMMSpace(rules: []), strategy: FixedList(configs))
        _ = try search.run(for: problem, measurer: FakeSpMMMeasurer(), sink: SpMMTuningStoreSink(store: store, context: h200))
        var newer = h200
        newer.nvrtcVersion = "13.0"
        let measurer = FakeSpMMMeasurer()
        _ = try search.run(for: problem, measurer: measurer, sink: SpMMTuningStoreSink(store: store, context: newer))
        #expect(measurer.measured == configs)
    }
}
