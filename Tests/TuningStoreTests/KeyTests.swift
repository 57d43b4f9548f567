import Foundation
import KernelGen
import Testing
import Tuner
import TuningStore

@Suite struct KeyTests {
    @Test func aNewConfigOrFamilyAddsRowsAndLeavesTheOthersAlone() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let sink = SpMMTuningStoreSink(store: store, context: h200)
        let problem = try makeProblem()
        try sink.record(okTrial(tiled(32), 2e-5), for: problem)
        try sink.record(okTrial(tiled(64), 3e-5), for: problem)
        let before = try store.allTrials()

        try sink.record(okTrial(.simpleCSR(), 9e-5), for: problem)
        let after = try store.allTrials()
        #expect(after.count == 3)
        // The earlier rows are untouched, timestamps included.
        #expect(before.allSatisfy(after.contains))
        #expect(Set(after.map(\.family)) == ["tiled", "simple"])
    }

    @Test func recordingTheSameKeyAgainReplacesIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let sink = SpMMTuningStoreSink(store: store, context: h200)
        let problem = try makeProblem()
        try sink.record(okTrial(tiled(32), 2e-5), for: problem)
        try sink.record(Trial(config: tiled(32), status: .launchError("fault")), for: problem)
        #expect(try store.allTrials().count == 1)
        #expect(sink.recall(tiled(32), for: problem)?.status == .launchError("fault"))
    }

    @Test func everyProblemFieldAndContextFieldSeparatesTrials() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let problem = try makeProblem()
        let others = [
            try makeProblem(m: 1), try makeProblem(type: .f16), try makeProblem(digest: 1),
            try SpMMProblem(
                n: 2048, k: 512, m: 256, nnz: 104_858, patternDigest: 0x9f2c_41e0_0bad_cafe, maxRowLength: 80,
                elementType: .f32, epilogue: .biasReLU, device: .sm90),
        ]
        var newer = h200
        newer.generatorVersion += 1
        var otherDriver = h200
        otherDriver.driverVersion = "13.0"
        let sink = SpMMTuningStoreSink(store: store, context: h200)
        try sink.record(okTrial(tiled(32), 2e-5), for: problem)
        for other in others {
            #expect(sink.recall(tiled(32), for: other) == nil)
            try sink.record(okTrial(tiled(32), 4e-5), for: other)
        }
        for context in [a100, newer, otherDriver] {
            let elsewhere = SpMMTuningStoreSink(store: store, context: context)
            #expect(elsewhere.recall(tiled(32), for: problem) == nil)
            try elsewhere.record(okTrial(tiled(32), 5e-5), for: problem)
        }
        #expect(try store.allTrials().count == 1 + others.count + 3)
        #expect(sink.recall(tiled(32), for: problem)?.seconds == 2e-5)
    }

    @Test func recallCanLeaveOutStatusesThatMayBeTransient() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let problem = try makeProblem()
        try SpMMTuningStoreSink(store: store, context: h200).record(
            Trial(config: tiled(32), status: .launchError("context lost")), for: problem)
        var statuses = Set(TrialStatus.Kind.allCases)
        statuses.remove(.launchError)
        let sink = SpMMTuningStoreSink(store: store, context: h200, keying: SpMMTrialKeying(), recallStatuses: statuses)
        #expect(sink.recall(tiled(32), for: problem) == nil)
    }
}
