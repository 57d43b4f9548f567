import Foundation
import KernelGen
import Testing
import Tuner
import TuningStore

@Suite struct QueryTests {
    @Test func bestIsTheFastestCorrectFullTrialOfTheProblemInTheContext() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let problem = try makeProblem()
        let sink = SpMMTuningStoreSink(store: store, context: h200)
        #expect(try sink.best(for: problem) == nil)
        try sink.record(okTrial(tiled(32), 3e-5), for: problem)
        try sink.record(okTrial(tiled(64), 2e-5), for: problem)
        // None of these may win: a faster proxy, a wrong result, another context, another width.
        try sink.record(okTrial(tiled(128), 1e-6, phase: .proxy), for: problem)
        try sink.record(Trial(config: tiled(256), status: .wrongResult(relativeError: 1, detail: "nan")), for: problem)
        try SpMMTuningStoreSink(store: store, context: a100).record(okTrial(tiled(256), 1e-7), for: problem)
        try sink.record(okTrial(tiled(256), 1e-7), for: try makeProblem(m: 8))

        #expect(try sink.best(for: problem) == okTrial(tiled(64), 2e-5))
        let key = SpMMTrialKeying().problemKey(problem)
        #expect(try store.best(for: key, in: h200)?.config == tiled(64).description)
        #expect(try store.trials(for: key, in: h200).map(\.config).first == tiled(128).description)
    }

    @Test func countsAndSummary() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try ExportTests.filledStore(folder.file("t.sqlite"))
        let statuses = RoundTripTests.everyStatus()
        let counts = try store.statusCounts(in: h200)
        #expect(counts.reduce(0) { $0 + $1.count } == 2 * statuses.count)
        #expect(counts.first { $0.family == "tiled" && $0.status == .ok }?.count == 4)
        #expect(counts.first { $0.family == "simple" && $0.status == .launchError }?.count == 2)
        #expect(try store.statusCounts().reduce(0) { $0 + $1.count } == 4 * statuses.count)

        let summary = try store.summary()
        #expect(summary.trials == 4 * statuses.count)
        #expect(summary.problems == 2)
        #expect(summary.contexts.map(\.context) == [a100, h200])
        #expect(summary.contexts.allSatisfy { $0.trials == 2 * statuses.count && $0.problems == 2 && $0.okTrials == 4 })
        #expect(summary.contexts.allSatisfy { $0.firstRecorded <= $0.lastRecorded })
    }
}
