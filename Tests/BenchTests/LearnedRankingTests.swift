import Foundation
import KernelGen
import SparseFormats
import Testing
import Tuner

@testable import Bench

/// The pipeline end to end on the synthetic measurer: a model trained by
/// `scripts/train-cost-model.py --train-on rn50` on the synthetic data set's rn50-named matrices
/// (committed as a fixture), evaluated here in Swift on the held-out transformer and synthetic
/// matrices, ranks them at least as well as the hand model it starts from.
@Suite struct LearnedRankingTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TunerTests/Fixtures/synthetic-model-rn50.json")

    /// Whether the `k` cheapest configs by `costs` hold one within `slack` of the fastest.
    static func hit(_ costs: [Double], _ times: [Double], k: Int, slack: Double = 1.03) -> Bool {
        let best = times.min() ?? .nan
        let order = costs.indices.sorted { (costs[$0], $0) < (costs[$1], $1) }
        return order.prefix(k).contains { times[$0] <= best * slack }
    }

    @Test func theLearnedModelRanksHeldOutMatricesAtLeastAsWellAsTheHandModel() throws {
        let file = try SpMMCostModelFile(json: try Data(contentsOf: Self.fixture))
        let hand = HandCostModel()
        var learnedHits = 0, handHits = 0, learnedProblems = 0, problems = 0
        for (source, w) in try SyntheticTrialsTests.matrices(full: true) where !source.contains("rn50") {
            let pattern = PatternStatistics(w)
            let model = LearnedCostModel(file, pattern: pattern)
            let measurer = SyntheticGPUMeasurer(pattern: pattern)
            for m in [16, 256, 2048] {
                let problem = try SpMMProblem(
                    pattern: w, m: m, patternDigest: w.patternDigest.value, elementType: .f32, device: .sm90)
                let survivors = SpMMSpace().configs(for: problem)
                let times = survivors.map { measurer.measure($0, for: problem).seconds ?? .infinity }
                if model.fallbackReason(for: problem) == nil { learnedProblems += 1 }
                if Self.hit(model.estimates(survivors, for: problem), times, k: 5) { learnedHits += 1 }
                if Self.hit(hand.estimates(survivors, for: problem), times, k: 5) { handHits += 1 }
                problems += 1
            }
        }
        #expect(problems == 15)
        #expect(learnedProblems >= 9, "most held-out problems lie in the model's range")
        #expect(learnedHits >= handHits, "learned \(learnedHits), hand \(handHits) of \(problems)")
    }
}

/// What `sparrow tune` does on a GPU unless told: the shipped model's first 8 configs.
@Suite struct StandardTuneSearchTests {
    @Test func theStandardGPUSearchTimesTheLearnedModelsTopEight() throws {
        let job = TuneJob(action: .list)
        #expect(job.breadth == .standard && job.ranking == .learned(path: nil))
        let model = LearnedCostModel(try SpMMCostModelFile.shipped.get())
        #expect(job.gpuSearch(model: model).strategy.name.hasPrefix("top\(TuneJob.standardTopK) by learned model"))
        #expect(TuneJob.standardTopK == 8)
    }
}
