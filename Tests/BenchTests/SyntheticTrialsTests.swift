import Bench
import Foundation
import KernelGen
import SparseFormats
import Testing
import Tuner
import TuningStore

/// A fake GPU measurer whose time is a known function of the problem and config: the hand
/// model's estimate bent by effects the hand model does not know (a penalty on narrow vectors, a
/// benefit of splitting rows that grows with the row spread, a cost of wide blocks on short
/// rows), plus a repeatable ±3% jitter. A learned model trained on its trials should beat the
/// hand model at ranking them, which is what the pipeline's dry run checks.
struct SyntheticGPUMeasurer: Measurer {
    let pattern: PatternStatistics

    func measure(_ config: SpMMConfig, for problem: SpMMProblem) -> Trial<SpMMConfig> {
        let features = SpMMFeatures(problem, pattern: pattern)
        let named = Dictionary(uniqueKeysWithValues: zip(SpMMFeatures.names, features.vector(config)))
        let value = { (name: String) in named[name] ?? 0 }
        var log = (value("log2_hand_ns") - 10) * 0.693
        log += value("vector_width") < 4 && problem.m >= 64 ? 0.35 : 0
        log -= 0.25 * min(2, value("row_cv")) * (value("row_split") > 1 ? 1 : 0)
        log += value("threads_per_block") >= 512 && problem.meanRowLength < 32 ? 0.3 : 0
        log += value("double_buffered") * 0.05
        // Not Hasher: it is seeded per process, and the data set must be repeatable.
        let jitter = Double(config.description.utf8.reduce(UInt32(problem.m)) { $0 &* 31 &+ UInt32($1) } % 1000) / 1000
        let seconds = 1e-6 * exp(log + 0.06 * (jitter - 0.5))
        return Trial(config: config, status: .ok(seconds: seconds), sampleSeconds: [seconds])
    }
}

@Suite struct SyntheticTrialsTests {
    /// Matrices of three families, named as the tuning database records DLMC suites.
    static func matrices(full: Bool) throws -> [(source: String, matrix: CSRMatrix<Float>)] {
        var out: [(String, CSRMatrix<Float>)] = []
        let shapes: [(String, Int, Int)] = full
            ? [("dlmc-rn50/rn50/0.9/a", 256, 64), ("dlmc-rn50/rn50/0.9/b", 512, 128), ("dlmc-rn50/rn50/0.8/c", 1024, 256),
               ("dlmc-rn50/rn50/0.95/d", 2048, 512), ("dlmc-rn50/rn50/0.7/e", 128, 1152), ("dlmc-rn50/rn50/0.98/f", 64, 576),
               ("dlmc-transformer/transformer/0.9/g", 512, 512), ("dlmc-transformer/transformer/0.9/h", 2048, 512),
               ("dlmc-transformer/transformer/0.8/i", 512, 2048), ("synthetic/synthetic-powerlaw-1024x1024-0.9", 1024, 1024),
               ("synthetic/synthetic-uniform-4096x4096-0.95", 4096, 4096)]
            : [("dlmc-rn50/rn50/0.9/a", 256, 64), ("dlmc-transformer/transformer/0.9/g", 512, 512)]
        for (index, (source, rows, columns)) in shapes.enumerated() {
            let sparsity = Double(source.split(separator: "/").dropLast().last.flatMap { Double($0) } ?? 0.9)
            let distribution: SyntheticMatrices.RowDistribution = index % 3 == 2 || source.contains("powerlaw") ? .powerLaw : .uniform
            out.append((source, try SyntheticMatrices.make(
                rows: rows, columns: columns, sparsity: sparsity, distribution: distribution,
                generator: SeededGenerator(label: source))))
        }
        return out
    }

    /// Every config of each matrix's pruned space at several n, measured by the fake and recorded
    /// in `store` as an H200's trials. Returns the trials recorded.
    static func record(into store: TuningStore, full: Bool) throws -> Int {
        let context = TuningContext(
            deviceName: "synthetic H200", computeCapability: ComputeCapability(major: 9, minor: 0), driverVersion: "0",
            nvrtcVersion: "0")
        var count = 0
        for (source, w) in try matrices(full: full) {
            let pattern = PatternStatistics(w)
            let sink = SpMMTuningStoreSink(store: store, context: context, source: source, pattern: pattern)
            for m in full ? [1, 16, 64, 256, 2048] : [16, 256] {
                for type in full ? [ElementType.f32, .f16] : [.f32] {
                    let problem = try SpMMProblem(
                        pattern: w, m: m, patternDigest: w.patternDigest.value, elementType: type, device: .sm90)
                    let strategy = Exhaustive<SpMMProblem, SpMMConfig>().limited(to: full ? Int.max : 40)
                    let search = Search(space: SpMMSpace(), strategy: strategy)
                    count += try search.run(for: problem, measurer: SyntheticGPUMeasurer(pattern: pattern), sink: sink).trials.count
                }
            }
        }
        return count
    }

    @Test func syntheticTrialsBecomeAFeatureTableWithOneGroupPerProblem() throws {
        let folder = try benchScratch("synthetic-trials")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TuningStore(path: folder.appendingPathComponent("t.sqlite").path)
        let recorded = try Self.record(into: store, full: false)
        let table = FeatureTable(try store.allTrials())
        #expect(table.rows == recorded)
        #expect(table.groups == 4)
        #expect(table.skipped.isEmpty)
        let header = try #require(table.lines.first).split(separator: ",").map(String.init)
        #expect(header == FeatureTable.leadingColumns + SpMMFeatures.names)
        #expect(table.lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == header.count })
        #expect(table.lines.dropFirst().contains { $0.contains("dlmc-transformer/transformer/0.9/g") })
    }

    /// Writes the full synthetic data set as an export file when SPARROW_SYNTHETIC_TRIALS names
    /// one (the training script's dry run: `scripts/train-cost-model.py --synthetic`).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SPARROW_SYNTHETIC_TRIALS"] != nil))
    func writeTheSyntheticDataSet() throws {
        let path = try #require(ProcessInfo.processInfo.environment["SPARROW_SYNTHETIC_TRIALS"])
        let folder = try benchScratch("synthetic-set")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try TuningStore(path: folder.appendingPathComponent("t.sqlite").path)
        _ = try Self.record(into: store, full: true)
        try store.exportTrials(to: path)
    }
}
