import Foundation
import KernelGen
import SparseFormats
import Testing
@testable import Tuner

@Suite struct TreeEvaluatorTests {
    struct Prediction: Decodable {
        var x: [Double?]
        var prediction: Double
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Written by `scripts/train-cost-model.py --fixture`: 25 trees of LightGBM 4.7 on random
    /// data with missing values, and LightGBM's own `predict(raw_score=True)` of 62 rows
    /// (missing values, zeros, values far outside the training range, all-NaN, all-zero).
    @Test func theEvaluatorMatchesLightGBMsOwnPredictions() throws {
        let trees = try GradientBoostedTrees(dumpJSON: try Data(contentsOf: Self.folder.appendingPathComponent("gbdt-model.json")))
        #expect(trees.trees.count == 25)
        #expect(trees.featureNames == ["f0", "f1", "f2", "f3", "f4", "f5"])
        let rows = try JSONDecoder().decode(
            [Prediction].self, from: try Data(contentsOf: Self.folder.appendingPathComponent("gbdt-predictions.json")))
        #expect(rows.count == 62)
        for row in rows {
            let x = row.x.map { $0 ?? .nan }
            #expect(abs(trees.rawScore(x) - row.prediction) <= 1e-9, "x = \(x)")
        }
    }

    @Test func categoricalSplitsAreRefusedWithTheTreeNamed() {
        let json = #"""
            {"feature_names": ["a"], "tree_info": [{"tree_structure": {"leaf_value": 1}},
             {"tree_structure": {"split_feature": 0, "threshold": "1||2", "decision_type": "==", "default_left": true,
              "missing_type": "None", "left_child": {"leaf_value": 1}, "right_child": {"leaf_value": 2}}}]}
            """#
        #expect(throws: LearnedModelError.badTree(index: 1, reason: "decision type == (only numerical <= splits)")) {
            try GradientBoostedTrees(dumpJSON: Data(json.utf8))
        }
    }

    @Test func missingValuesFollowLightGBMsRules() throws {
        // One split on feature 0 at 0.5 per missing type, default left.
        func tree(_ missing: String) throws -> GradientBoostedTrees {
            let json = """
                {"feature_names": ["a"], "tree_info": [{"tree_structure": {"split_feature": 0, "threshold": 0.5,
                 "decision_type": "<=", "default_left": false, "missing_type": "\(missing)",
                 "left_child": {"leaf_value": -1}, "right_child": {"leaf_value": 1}}}]}
                """
            return try GradientBoostedTrees(dumpJSON: Data(json.utf8))
        }
        // None: NaN counts as 0 (left of 0.5).
        #expect(try tree("None").rawScore([.nan]) == -1)
        // NaN: NaN goes the default way (right here); 0 compares normally.
        #expect(try tree("NaN").rawScore([.nan]) == 1)
        #expect(try tree("NaN").rawScore([0]) == -1)
        // Zero: 0 and NaN (as 0) go the default way.
        #expect(try tree("Zero").rawScore([0]) == 1)
        #expect(try tree("Zero").rawScore([.nan]) == 1)
        #expect(try tree("Zero").rawScore([0.25]) == -1)
        // A vector shorter than the model's features: the missing one is NaN.
        #expect(try tree("NaN").rawScore([]) == 1)
    }
}

@Suite struct LearnedCostModelTests {
    static let pattern = PatternStatistics(
        rows: 2048, columns: 512, nnz: 104_858, maxRowLength: 80, rowLengthStd: 6.5, emptyRows: 0, columnLengthStd: 14)

    /// A model file over Sparrow's features with one tree: configs with vectors of 4 or more
    /// elements cost 0, the others 1 (regression, lower is better), trained on n of 16 ... 256.
    static func modelFile(variant: String = "regression", base: Double = 0) throws -> SpMMCostModelFile {
        let names = SpMMFeatures.names
        let vector = try #require(names.firstIndex(of: "vector_width"))
        let json = """
            {"format": "sparrow-gbdt", "version": 1, "variant": "\(variant)", "objective": "regression",
             "higher_is_better": false, "base_margin": {"feature": "log2_hand_ns", "coefficient": \(base)},
             "feature_names": [\(names.map { "\"\($0)\"" }.joined(separator: ","))],
             "problem_feature_ranges": {"log2_n": [4, 8], "element_bytes": [4, 4]},
             "trained_on": {"trials": 10, "problems": 2, "families": {"rn50": 2}},
             "tree_info": [{"tree_structure": {"split_feature": \(vector), "threshold": 3.5, "decision_type": "<=",
              "default_left": true, "missing_type": "None", "left_child": {"leaf_value": 1},
              "right_child": {"leaf_value": 0}}}]}
            """
        return try SpMMCostModelFile(json: Data(json.utf8))
    }

    @Test func theLearnedModelRanksAProblemInItsRange() throws {
        let model = LearnedCostModel(try Self.modelFile(), pattern: Self.pattern)
        let problem = try makeProblem(m: 256)
        #expect(model.fallbackReason(for: problem) == nil)
        let survivors = SpMMSpace().configs(for: problem)
        let ranked = model.rank(survivors, for: problem)
        let wide = survivors.filter { SpMMFeatures.Knobs($0).vector >= 4 }
        #expect(!wide.isEmpty)
        // Ties keep enumeration order: the wide-vector configs first, in the space's order.
        #expect(Array(ranked.prefix(wide.count)) == wide)
    }

    @Test func outsideItsRangeOrWithoutStatisticsTheHandModelRanks() throws {
        let file = try Self.modelFile()
        let hand = HandCostModel()
        for (problem, pattern, reason) in [
            (try makeProblem(m: 2048), Self.pattern, "log2_n = 11.0 is outside the trained 4.0...8.0"),
            (try makeProblem(m: 256, type: .f16), Self.pattern, "element_bytes = 2.0 is outside the trained 4.0...4.0"),
            (try makeProblem(m: 256), nil, "row_cv is unknown (no pattern statistics)"),
        ] {
            let model = LearnedCostModel(file, pattern: pattern)
            #expect(model.fallbackReason(for: problem) == reason)
            let survivors = SpMMSpace().configs(for: problem)
            #expect(model.rank(survivors, for: problem) == hand.rank(survivors, for: problem))
        }
        // One doubling beyond the trained n is still in range for a log2 size.
        #expect(LearnedCostModel(file, pattern: Self.pattern).fallbackReason(for: try makeProblem(m: 512)) == nil)
    }

    @Test func aBaseMarginAddsTheHandEstimate() throws {
        let problem = try makeProblem(m: 256)
        let features = SpMMFeatures(problem, pattern: Self.pattern)
        let config = SpMMConfig.simpleCSR()
        let plain = try Self.modelFile().cost(features.vector(config))
        let based = try Self.modelFile(base: 0.5).cost(features.vector(config))
        let hand = try #require(SpMMFeatures.names.firstIndex(of: "log2_hand_ns"))
        #expect(abs(based - plain - 0.5 * features.vector(config)[hand]) < 1e-12)
    }

    @Test func aModelOfOtherFeaturesIsRefused() {
        let json = #"""
            {"format": "sparrow-gbdt", "version": 1, "variant": "x", "objective": "regression", "higher_is_better": false,
             "feature_names": ["a"], "problem_feature_ranges": {}, "trained_on": {"trials": 1, "problems": 1, "families": {}},
             "tree_info": []}
            """#
        #expect(throws: LearnedModelError.featureMismatch(expected: SpMMFeatures.names, found: ["a"])) {
            try SpMMCostModelFile(json: Data(json.utf8))
        }
    }

    /// The learned model drives the search's ranked strategy: the shortlist is its top k, and the
    /// search keeps the fastest of them.
    @Test func theLearnedModelPlugsIntoTheRankedSearch() throws {
        let problem = try makeProblem(m: 256)
        let model = LearnedCostModel(try Self.modelFile(), pattern: Self.pattern)
        let search = Search(space: SpMMSpace(), strategy: RankedTopK(model, k: 5))
        let sink = MemoryTrialSink<SpMMProblem, SpMMConfig>()
        // A fake measurer: time falls with the tile width, so the widest of the shortlist wins.
        let measurer = FakeSpMMMeasurer { config in 1e-3 / Double(SpMMFeatures.Knobs(config).tile) }
        let result = try search.run(for: problem, measurer: measurer, sink: sink)
        #expect(result.planned == Array(model.rank(SpMMSpace().configs(for: problem), for: problem).prefix(5)))
        #expect(result.planned.allSatisfy { SpMMFeatures.Knobs($0).vector >= 4 })
        #expect(result.trials.count == 5 && sink.trials.count == 5)
        let widest = result.planned.max { SpMMFeatures.Knobs($0).tile < SpMMFeatures.Knobs($1).tile }
        #expect(result.best.seconds == widest.map { 1e-3 / Double(SpMMFeatures.Knobs($0).tile) })
        #expect(result.strategy.hasPrefix("top5 by learned model"))
    }

    /// The model never saw the compact, bitmap or fragment-COO families: the hand model's best two
    /// configs of each still rank ahead of every learned cost, so a top-k search measures them.
    @Test func untrainedFamiliesKeepTheirHandModelsBestConfigsInTheTopK() throws {
        let model = LearnedCostModel(try SpMMCostModelFile.shipped.get(), pattern: Self.pattern)
        let problem = try makeProblem(m: 16, type: .f16)
        #expect(model.fallbackReason(for: problem) == nil)
        let survivors = SpMMSpace().configs(for: problem)
        let ranked = model.rank(survivors, for: problem)
        let untrained: [SpMMConfig.Family] = [.compact, .bitmap, .fragmentCOO]
        for family in untrained {
            let hand = HandCostModel().rank(survivors.filter { $0.family == family }, for: problem)
            #expect(Set(ranked.prefix(2 * untrained.count).filter { $0.family == family }) == Set(hand.prefix(2)), "\(family)")
            #expect(ranked.filter { $0.family == family } == hand, "\(family)")
        }
        #expect(ranked.dropFirst(2 * untrained.count).prefix(1).allSatisfy { LearnedCostModel.trainedFamilies.contains($0.family) })
    }
}

/// A measurer whose time is a function of the config; every candidate is correct.
struct FakeSpMMMeasurer: Measurer {
    let seconds: @Sendable (SpMMConfig) -> Double

    func measure(_ config: SpMMConfig, for problem: SpMMProblem) -> Trial<SpMMConfig> {
        Trial(config: config, status: .ok(seconds: seconds(config)))
    }
}

@Suite struct ShippedModelTests {
    /// The built-in model, when one ships, reads and ranks; without one, the reason says how to
    /// train it.
    @Test func theShippedModelLoadsOrSaysWhyNot() throws {
        switch SpMMCostModelFile.shipped {
        case let .success(file):
            #expect(Array(SpMMFeatures.names.prefix(file.trees.featureNames.count)) == file.trees.featureNames)
            #expect(file.trees.featureNames.count >= SpMMFeatures.requiredNames.count)
            #expect(!file.trees.trees.isEmpty)
            let problem = try makeProblem(m: 256)
            let model = LearnedCostModel(file, pattern: LearnedCostModelTests.pattern)
            let costs = model.estimates(SpMMSpace().configs(for: problem), for: problem)
            #expect(costs.allSatisfy { $0.isFinite })
        case let .failure(error):
            let message = error.description
            let shipped = SpMMCostModelFile.shippedJSON != nil
            #expect(!shipped, "a shipped model must load: \(message)")
            #expect(message.contains("scripts/train-cost-model.py"))
        }
    }
}

/// The learned model sees a compact config's rounds in flight: a ring of S stages keeps S - 1
/// rounds of U vectors ahead, the register double buffer (and the single-buffered walk) one.
@Suite struct CompactFeatureTests {
    @Test func ringStagesShowAsVectorsInFlight() {
        let plain = CompactConfig(format: .delta4, warps: 16, vectorWidth: 8, unroll: 2, split: 1, blocksPerSM: 1, chunk: 16384, doubleBuffered: true)
        var ring = plain
        ring.ringStages = 4
        #expect(SpMMFeatures.Knobs(.compact(plain)).vectorsPerThread == 2)
        #expect(SpMMFeatures.Knobs(.compact(ring)).vectorsPerThread == 6)
    }
}
