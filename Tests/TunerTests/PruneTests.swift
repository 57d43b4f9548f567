import Testing
import Tuner

@Suite struct PruneTests {
    let problem = ToyProblem(target: 6)

    @Test func survivorsKeepEnumerationOrderAndEachRuleCountsWhatItRemovedFirst() {
        let outcome = ToySpace(rules: toyRules).prune(problem)
        #expect(outcome.survivors == configs([(1, 2), (1, 4), (2, 1), (2, 2), (2, 4), (3, 1)]))
        let report = outcome.report
        #expect(report.enumerated == 16)
        #expect(report.illegal == 2)
        // (4, 3) is dropped by both odd-b and a4 and counts for odd-b, the first.
        #expect(report.rules.map(\.removed) == [4, 2, 2])
        #expect(report.rules.map(\.name) == ["odd-b", "a4", "a3-smallest-b"])
        #expect(report.rules.map(\.provenance) == [.algorithm("toy"), .hardware("toy"), .measured(where: "toy sweep")])
        #expect(report.survivors == 6)
        #expect(report.enumerated == report.duplicates + report.illegal + report.rules.reduce(0) { $0 + $1.removed } + report.survivors)
        #expect(report.description == "toy: 16 enumerated, 2 illegal, -4 odd-b, -2 a4, -2 a3-smallest-b, 6 left")
    }

    @Test func illegalCandidatesAreGroupedByErrorKindWithAnExample() {
        let report = ToySpace(rules: toyRules).prune(problem).report
        #expect(report.illegalKinds.map(\.kind) == ["ToyError.degenerate", "ToyError.productTooLarge"])
        #expect(report.illegalKinds.map(\.count) == [1, 1])
        #expect(report.illegalKinds[1].example == "a4.b4: productTooLarge(product: 16, limit: 12)")
    }

    @Test func removalsNameTheirFirstStageInEnumerationOrder() {
        let outcome = ToySpace(rules: toyRules).prune(problem)
        #expect(outcome.removed.map(\.index) == outcome.removed.map(\.index).sorted())
        let cause = Dictionary(uniqueKeysWithValues: outcome.removed.map { ($0.config, $0.cause) })
        #expect(cause[ToyConfig(4, 3)] == .rule("odd-b"))
        #expect(cause[ToyConfig(4, 1)] == .rule("a4"))
        #expect(cause[ToyConfig(3, 4)] == .rule("a3-smallest-b"))
        #expect(cause[ToyConfig(1, 1)] == .illegal(kind: "ToyError.degenerate", message: "degenerate(a: 1, b: 1)"))
        #expect(outcome.removed.count + outcome.survivors.count == 16)
        #expect(outcome.cause(of: ToyConfig(4, 2)) == .rule("a4"))
        #expect(outcome.cause(of: ToyConfig(2, 2)) == nil)
    }

    @Test func aSetLevelRuleSeesOnlyWhatEarlierRulesLeft() {
        // Without odd-b, b = 3 stays and a3-smallest-b still keeps only (3, 1); with b = 1
        // removed first, the smallest b left for a = 3 is 2.
        let dropB1 = PruningRule<ToyProblem, ToyConfig>("b1", reason: "b = 1 is slow", provenance: .algorithm("toy")) { c, _ in c.b == 1 }
        let outcome = ToySpace(rules: [dropB1, toyRules[2]]).prune(problem)
        #expect(outcome.survivors.filter { $0.a == 3 } == configs([(3, 2)]))
        #expect(outcome.report.rules.map(\.removed) == [3, 2])
    }

    @Test func duplicatesAreKeptOnceAndCounted() {
        let space = ToySpace()
        let outcome = space.prune(configs([(2, 2), (1, 2), (2, 2), (4, 4), (4, 4)]), for: problem)
        #expect(outcome.survivors == configs([(2, 2), (1, 2)]))
        #expect(outcome.report.duplicates == 2)
        #expect(outcome.report.illegal == 1)
    }

    @Test func aSpaceUnionConcatenatesMembersAndAsksEachForLegality() {
        let small = ToySpace(name: "small", rules: [toyRules[0]], values: [1, 2])
        let large = ToySpace(name: "large", rules: [toyRules[1]], values: [2, 3, 4])
        let union = SpaceUnion<ToyProblem, ToyConfig>([small, large])
        #expect(union.name == "small+large")
        let all = union.enumerate(problem)
        #expect(all.prefix(4) == configs([(1, 1), (1, 2), (2, 1), (2, 2)])[...])
        #expect(all.count == 4 + 9 - 1)  // (2, 2) is in both, kept at its first place
        #expect(union.legalityError(ToyConfig(4, 4), for: problem) as? ToyError == .productTooLarge(product: 16, limit: 12))
        #expect(union.prune(problem).report.rules.map(\.name) == ["odd-b", "a4"])
        #expect(SpaceUnion<ToyProblem, ToyConfig>([]).legalityError(ToyConfig(2, 2), for: problem) != nil)
    }
}
