import Foundation
import KernelGen
import SparseFormats
import Testing

@testable import Tuner

/// The row order as a knob of the tuner: enumerated for the CSR families, switchable, pruned by
/// its rules, charged by the hand model, a feature of the learned model, and measured by the
/// top-k searches through ``RowOrderTwins``.
@Suite struct RowOrderSpaceTests {
    /// A DLMC-like layer: 512 x 512 at 90%, m = 256.
    func layer() throws -> SpMMProblem { try makeProblem(n: 512, k: 512, m: 256, nnz: 26_214, maxRowLength: 80) }

    @Test func theSpaceSearchesEveryOrderOfTheCSRFamilies() throws {
        let problem = try layer()
        let survivors = SpMMSpace().configs(for: problem)
        for ordering in RowOrdering.allCases {
            for family in SpMMConfig.rowOrderFamilies {
                #expect(survivors.contains { $0.family == family && $0.rowOrder == ordering }, "\(family) \(ordering)")
            }
        }
        // Only the CSR families take the knob; every twin is an identity survivor's.
        #expect(survivors.allSatisfy { $0.rowOrder == .identity || SpMMConfig.rowOrderFamilies.contains($0.family) })
        let identity = Set(survivors.filter { $0.rowOrder == .identity })
        #expect(survivors.filter { $0.rowOrder != .identity }.allSatisfy { identity.contains($0.withRowOrder(.identity)!) })
        // The identity configs come first, in the order they had before the knob.
        let firstTwin = try #require(survivors.firstIndex { $0.rowOrder != .identity })
        #expect(survivors[..<firstTwin].allSatisfy { $0.rowOrder == .identity || $0.family == .specialised })
        #expect(Array(SpMMSpace(rowOrders: [.identity]).configs(for: problem)) == survivors.filter { $0.rowOrder == .identity })
    }

    @Test func switchedOffThereIsNoReorderedConfig() throws {
        let problem = try makeProblem(n: 256, k: 256, m: 256, nnz: 6554, maxRowLength: 40)
        let all = SpMMSpace(specialise: true, reorder: true).configs(for: problem)
        #expect(all.contains { $0.asSpecialised?.localityOrder == true })
        let none = SpMMSpace(specialise: true, reorder: false).configs(for: problem)
        #expect(none.allSatisfy { $0.rowOrder == .identity && $0.asSpecialised?.localityOrder != true })
        #expect(none.contains { $0.family == .specialised })
    }

    @Test func operandsInAnotherOrderLeaveNoTwin() throws {
        let problem = try makeProblem(n: 512, k: 512, m: 256, nnz: 26_214, maxRowLength: 80, ordering: .locality)
        #expect(SpMMSpace().configs(for: problem).allSatisfy { $0.rowOrder == .identity })
    }

    @Test func rulesRemoveWhatTheyName() throws {
        let even = try makeProblem(n: 512, k: 512, m: 256, nnz: 512 * 50, maxRowLength: 50)
        let uneven = try layer()
        let tiled = SpMMConfig.tiled(
            subwarpSize: 32, rowsPerBlock: 4, tileWidth: 128, vectorWidth: 4, chunkSize: 32, doubleBuffered: false)
        let byLength = try #require(tiled.withRowOrder(.byLengthDescending))
        let locality = try #require(tiled.withRowOrder(.locality))
        let evenRule = SpMMPruningRule.lengthOrderOfEvenRows
        #expect(evenRule.rejectionTest(among: [], for: even)(byLength))
        #expect(!evenRule.rejectionTest(among: [], for: even)(locality))
        #expect(!evenRule.rejectionTest(among: [], for: uneven)(byLength))
        let oneBlock = SpMMPruningRule.rowOrderInOneBlock
        let few = try makeProblem(n: 4, k: 512, m: 256, nnz: 200, maxRowLength: 80)
        #expect(oneBlock.rejectionTest(among: [], for: few)(locality))
        #expect(!oneBlock.rejectionTest(among: [], for: few)(tiled))
        #expect(!oneBlock.rejectionTest(among: [], for: uneven)(locality))
        #expect(SpMMPruningRule.standard.contains { $0.name == "length-order-of-even-rows" })
        // The pruned space holds no length-ordered config of even rows.
        #expect(SpMMSpace().configs(for: even).allSatisfy { $0.rowOrder != .byLengthDescending })
    }

    @Test func theHandModelChargesThePermutationRead() throws {
        let problem = try layer()
        let hand = HandCostModel()
        for config in SpMMSpace().configs(for: problem) where config.rowOrder != .identity {
            let twin = try #require(config.withRowOrder(.identity))
            #expect(hand.estimatedNanoseconds(config, for: problem) == hand.estimatedNanoseconds(twin, for: problem) + HandCostModel.Model.latency)
        }
    }

    @Test func twinsFollowTheShortlistsFirstConfigs() throws {
        let problem = try layer()
        let survivors = SpMMSpace().configs(for: problem)
        let candidates = SearchCandidates(problem: problem, survivors: survivors, legality: { _ in nil })
        let base = PortfolioShortlist.strategy(limit: 8)
        let plain = base.plan(candidates).shortlist
        let plan = base.withRowOrderTwins().plan(candidates)
        #expect(Array(plan.shortlist.prefix(plain.count)) == plain)
        let firstTwo = plain.filter { SpMMConfig.rowOrderFamilies.contains($0.family) && $0.rowOrder == .identity }.prefix(2)
        let expected = firstTwo.flatMap { config in
            [RowOrdering.locality, .byLengthDescending].compactMap { config.withRowOrder($0) }.filter { survivors.contains($0) }
        }
        #expect(Set(plan.shortlist.dropFirst(plain.count)) == Set(expected))
        #expect(expected.count >= 2)
        #expect(Set(plan.shortlist).count == plan.shortlist.count)
        #expect(plan.fallback.allSatisfy { !plan.shortlist.contains($0) })
        // Count 0 adds nothing.
        #expect(base.withRowOrderTwins(count: 0).plan(candidates).shortlist == plain)
    }

    @Test func theOrderIsAFeatureAtTheEnd() throws {
        let problem = try layer()
        let features = SpMMFeatures(problem, pattern: nil)
        let tiled = SpMMConfig.tiled(
            subwarpSize: 32, rowsPerBlock: 4, tileWidth: 128, vectorWidth: 4, chunkSize: 32, doubleBuffered: false)
        #expect(SpMMFeatures.names.last == "row_order")
        #expect(SpMMFeatures.requiredNames == Array(SpMMFeatures.names.dropLast()))
        #expect(features.vector(tiled).last == 0)
        #expect(features.vector(tiled.withRowOrder(.locality)!).last == 1)
        #expect(features.vector(tiled.withRowOrder(.byLengthDescending)!).last == 2)
        #expect(features.vector(tiled).count == SpMMFeatures.names.count)
    }

    /// The shipped model was trained before the knob: it still loads, and reordered twins rank
    /// after every other config (measured through the twins strategy, not by a blind score).
    @Test func aModelWithoutTheFeatureRanksTwinsLast() throws {
        let file = try SpMMCostModelFile.shipped.get()
        #expect(!file.knowsRowOrder)
        let model = LearnedCostModel(file, pattern: LearnedCostModelTests.pattern)
        let problem = try makeProblem(m: 256)
        #expect(model.fallbackReason(for: problem) == nil)
        let survivors = SpMMSpace().configs(for: problem)
        let ranked = model.rank(survivors, for: problem)
        let twins = survivors.filter { $0.rowOrder != .identity }
        #expect(!twins.isEmpty)
        #expect(Set(ranked.suffix(twins.count)) == Set(twins))
        // A model file with the feature ranks them with its trees.
        #expect(try LearnedCostModelTests.modelFile().knowsRowOrder)
    }

    @Test func aModelMissingARequiredFeatureIsRefused() {
        let names = SpMMFeatures.requiredNames.dropLast().map { "\"\($0)\"" }.joined(separator: ",")
        let json = """
            {"format": "sparrow-gbdt", "version": 1, "variant": "x", "objective": "regression", "higher_is_better": false,
             "feature_names": [\(names)], "problem_feature_ranges": {}, "trained_on": {"trials": 1, "problems": 1, "families": {}},
             "tree_info": []}
            """
        #expect(throws: LearnedModelError.self) { try SpMMCostModelFile(json: Data(json.utf8)) }
    }
}
