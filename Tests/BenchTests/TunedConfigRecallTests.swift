@testable import Bench
@testable import Runtime
import Foundation
import KernelGen
import SparseFormats
import Testing
import Tuner
import TuningStore

@Suite struct TunedConfigRecallTests {
    static let context = TuningContext(
        deviceName: "NVIDIA H200", computeCapability: ComputeCapability(major: 9, minor: 0), driverVersion: "12.8",
        nvrtcVersion: "12.8")

    static func problem(m: Int = 256, type: ElementType = .f32) throws -> SpMMProblem {
        try SpMMProblem(
            n: 512, k: 512, m: m, nnz: 26_214, patternDigest: 0xfeed, maxRowLength: 70, elementType: type, device: .sm90)
    }

    @Test func theFastestStoredConfigOfTheSameProblemAndContextIsRecalled() throws {
        let folder = try benchScratch("recall")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TuningStore(path: folder.appendingPathComponent("t.sqlite").path)
        let sink = SpMMTuningStoreSink(store: store, context: Self.context)
        let fast = SpMMConfig.tiled(subwarpSize: 32, rowsPerBlock: 8, tileWidth: 256, vectorWidth: 4, chunkSize: 64, doubleBuffered: false)
        let slow = SpMMConfig.simpleCSR()
        let problem = try Self.problem()
        try sink.record(Trial(config: slow, status: .ok(seconds: 2e-5)), for: problem)
        try sink.record(Trial(config: fast, status: .ok(seconds: 1e-5)), for: problem)
        // A faster failure never counts.
        try sink.record(Trial(config: .simpleCSR(threadsPerRow: 16, rowsPerBlock: 8), status: .wrongResult(relativeError: 1, detail: "x")), for: problem)

        let recall = TunedConfigRecall(store: store, context: Self.context)
        #expect(recall.config(for: problem) == fast)
        // Another n, element type or machine has no tuned config.
        #expect(recall.config(for: try Self.problem(m: 16)) == nil)
        #expect(recall.config(for: try Self.problem(type: .f16)) == nil)
        var a100 = Self.context
        a100.deviceName = "NVIDIA A100"
        #expect(TunedConfigRecall(store: store, context: a100).config(for: problem) == nil)
    }

    /// A correct candidate whose config was recalled from the tuning database.
    final class TunedCandidate: SpMMCandidate {
        let name = "sparrow-fp32"
        let role = CandidateRole.ours
        let precision = ComputePrecision.fp32
        var y: [Float] = []

        func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
            let x = try DenseMatrix(rows: problem.matrix.columns, columns: problem.m, storage: x)
            y = try ReferenceSpMM.multiply(problem.matrix, x).storage.map { Float($0) }
        }

        func output() throws -> [Float] { y }
        func time(warmup: Int, iterations: Int) throws -> [Double] { Array(repeating: 1e-6, count: iterations) }
        var chosenConfig: String? { "r8.t32.c256.v4.k64.db0" }
        var configOrigin: ConfigOrigin? { .tuned }
    }

    @Test func theReportSaysWhichProblemsUsedATunedConfig() throws {
        let ceilings = MachineCeilings(peakFlops: 1e15, bandwidthBytesPerSecond: 1e15, source: "test")
        let w = try SyntheticMatrices.make(rows: 9, columns: 7, sparsity: 0.7, distribution: .uniform, generator: SeededGenerator(seed: 3))
        let problem = SpMMBenchProblem(name: "layer", suite: "files", nominalSparsity: 0.7, matrix: w, m: 8)
        let results = BenchRunner(warmup: 0, iterations: 20, ceilings: ceilings).run([problem], candidates: [TunedCandidate()])
        let result = try #require(results.first)
        #expect(result.candidates.first?.configOrigin == .tuned)
        var report = BenchReport(
            command: "test", date: "d", commit: "c", machine: "m", device: "gpu", ceilings: ceilings, warmup: 0,
            iterations: 20, timingMethod: "fake", problems: results)
        report.tuningDatabase = "/db/tuning.sqlite"
        report.tunedProblems = ["layer n=8"]
        #expect(report.markdown().contains("stored in /db/tuning.sqlite on 1 of 1 problems"))
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains(#""tunedProblems":["layer n=8"]"#) && json.contains(#""configOrigin":"tuned""#))
        #expect(result.progressLine(position: "[1/1]").contains("(tuned config)"))
    }
}
