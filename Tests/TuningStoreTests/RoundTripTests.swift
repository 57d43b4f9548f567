import Foundation
import KernelGen
import Testing
import Tuner
@testable import TuningStore
import GRDB

@Suite struct RoundTripTests {
    /// One trial of every status, with awkward values (no samples, empty messages, proxy phase,
    /// doubles that print long).
    static func everyStatus() -> [Trial<SpMMConfig>] {
        [
            Trial(
                config: tiled(32), status: .ok(seconds: 1.234_567_890_123e-5), sampleSeconds: [1.3e-5, 0.1 + 0.2, 1e-300],
                compileSeconds: 0.731, proxySeconds: 2.5e-6, phase: .full, origin: .shortlist),
            Trial(config: tiled(64), status: .compileError("ptxas: too many resources"), compileSeconds: 1.5, origin: .extra),
            Trial(config: tiled(128), status: .wrongResult(relativeError: 0.125, detail: "row 17"), origin: .fallback),
            Trial(config: tiled(256), status: .wrongResult(relativeError: nil, detail: "")),
            Trial(config: .simpleCSR(), status: .launchError("CUDA_ERROR_ILLEGAL_ADDRESS"), phase: .proxy),
            Trial(config: .simpleCSR(threadsPerRow: 16), status: .invalid("smem 300 KiB > 227 KiB")),
            Trial(config: .simpleCSR(threadsPerRow: 8), status: .skipped("")),
            Trial(config: tiled(32, chunk: 64), status: .ok(seconds: 0), sampleSeconds: [], phase: .proxy),
        ]
    }

    @Test func everyStatusComesBackEqual() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let problem = try makeProblem()
        let trials = Self.everyStatus()
        for trial in trials {
            try SpMMTuningStoreSink(store: store, context: h200).record(trial, for: problem)
        }
        // Each phase recalls its own trials; a reopened store (another process) sees the same.
        let reopened = try TuningStore(path: folder.file("t.sqlite"))
        for phase in [TrialPhase.full, .proxy] {
            let sink = SpMMTuningStoreSink(store: reopened, context: h200, keying: SpMMTrialKeying(), recallPhase: phase)
            for trial in trials {
                #expect(sink.recall(trial.config, for: problem) == (trial.phase == phase ? trial : nil))
            }
        }
        #expect(try reopened.allTrials().count == trials.count)
    }

    @Test func storedRowsKeepTheProblemAndContext() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let problem = try makeProblem(m: 17, type: .f16, digest: 0xab)
        try SpMMTuningStoreSink(store: store, context: h200).record(okTrial(tiled(32), 1e-4), for: problem)
        let row = try #require(try store.allTrials().first)
        #expect(row.problem == ProblemKey(
            op: "spmm", patternDigest: "00000000000000ab", matrixRows: 2048, matrixColumns: 512, nnz: 104_858, width: 17,
            elementType: "f16", accumulator: "f32", variant: "epilogue=none,rows=identity"))
        #expect(row.context == h200)
        #expect(row.context.generatorVersion == KernelGen.generatorVersion)
        #expect(row.family == "tiled")
        #expect(row.config == tiled(32).description)
        // Samples are JSON text, readable by any SQLite client; times are ISO 8601 text.
        let raw = try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT typeof(sample_seconds), sample_seconds, recorded_at FROM trial")
        }
        let columns = try #require(raw)
        #expect(columns[0] == "text")
        #expect(columns[1] == "[0.0001,0.000101]")
        #expect((columns[2] as String).hasSuffix("Z"))
    }
}
