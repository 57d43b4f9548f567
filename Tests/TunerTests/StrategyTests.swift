import Testing
import Tuner

@Suite struct StrategyTests {
    let problem = ToyProblem(target: 6)
    let space = ToySpace(rules: toyRules)

    func candidates() -> SearchCandidates<ToyProblem, ToyConfig> {
        let space = self.space
        let problem = self.problem
        return SearchCandidates(problem: problem, survivors: space.prune(problem).survivors) {
            space.legalityError($0, for: problem)
        }
    }

    @Test func rankingIsStableOnTiesAndPutsNaNLast() {
        let constant = ClosureCostModel<ToyProblem, ToyConfig>("constant") { _, _ in 1 }
        let survivors = candidates().survivors
        #expect(constant.rank(survivors, for: problem) == survivors)
        let nanForB2 = ClosureCostModel<ToyProblem, ToyConfig>("nan") { c, _ in c.b == 2 ? .nan : Double(-c.a) }
        #expect(nanForB2.rank(survivors, for: problem) == configs([(3, 1), (2, 1), (2, 4), (1, 4), (1, 2), (2, 2)]))
        // Distance to 6: (1,4)=2 (2,4)=2 tie keeps enumeration order, (2,2)=2 also.
        #expect(toyModel.rank(survivors, for: problem) == configs([(1, 4), (2, 2), (2, 4), (3, 1), (1, 2), (2, 1)]))
    }

    @Test func topKMeasuresTheBestKAndFallsBackToTheRestOfTheRanking() {
        let plan = RankedTopK(toyModel, k: 2).plan(candidates())
        #expect(plan.shortlist == configs([(1, 4), (2, 2)]))
        #expect(plan.fallback == configs([(2, 4), (3, 1), (1, 2), (2, 1)]))
        #expect(RankedTopK(toyModel, k: 2).name == "top2 by distance")
        #expect(RankedTopK(toyModel, k: 0).plan(candidates()).shortlist.count == 1)
    }

    @Test func exhaustiveListsEverySurvivorInEnumerationOrRankedOrder() {
        let survivors = candidates().survivors
        #expect(Exhaustive<ToyProblem, ToyConfig>().plan(candidates()) == SearchPlan(shortlist: survivors))
        #expect(Exhaustive(rankedBy: toyModel).plan(candidates()).shortlist == toyModel.rank(survivors, for: problem))
    }

    @Test func aFixedListKeepsLegalConfigsEvenWhenPrunedUnlessAskedNotTo() {
        let list = configs([(4, 4), (4, 1), (2, 2), (4, 1), (3, 3)])
        let legal = FixedList<ToyProblem, ToyConfig>(list, name: "portfolio").plan(candidates())
        #expect(legal.shortlist == configs([(4, 1), (2, 2), (3, 3)]))
        let alive = FixedList<ToyProblem, ToyConfig>(list, survivorsOnly: true).plan(candidates())
        #expect(alive.shortlist == configs([(2, 2)]))
    }

    @Test func portfolioThenRankedReproducesTheExactShortlist() {
        // Today's SweepPlan: the legal portfolio's first limit / 2, then the model's top `limit`
        // not yet listed, until `limit` configs.
        let portfolio = configs([(4, 4), (4, 2), (3, 3), (2, 2), (3, 2)])
        let limit = 5
        let strategy = FixedList<ToyProblem, ToyConfig>(portfolio, name: "portfolio")
            .limited(to: limit / 2)
            .followed(by: RankedTopK(toyModel, k: limit))
            .limited(to: limit)
        let expected = configs([(4, 2), (3, 3), (1, 4), (2, 2), (2, 4)])
        #expect(strategy.plan(candidates()).shortlist == expected)

        // The same policy written as code, as a family that owns its shortlist would.
        let custom = CustomStrategy<ToyProblem, ToyConfig>("sweep plan") { survivors, problem in
            var list = Array(portfolio.filter { (try? checked($0)) != nil }.prefix(limit / 2))
            for config in toyModel.rank(survivors, for: problem).prefix(limit) where list.count < limit {
                if !list.contains(config) { list.append(config) }
            }
            return list
        }
        #expect(custom.plan(candidates()).shortlist == expected)

        // Through a search it is measured in exactly that order.
        let measurer = FakeMeasurer()
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>()
        let search = Search(space: space, strategy: strategy, clock: measurer.clock.clock)
        #expect(search.schedule(for: problem).shortlist == expected)
        #expect(throws: Never.self) { try search.run(for: problem, measurer: measurer, sink: sink) }
        #expect(measurer.measured == expected)
        #expect(search.schedule(for: problem).rejected.isEmpty)
    }

    @Test func chainedFallbacksSkipWhatIsListed() {
        let strategy = RankedTopK(toyModel, k: 1).followed(by: RankedTopK(toyModel, k: 3))
        let plan = strategy.plan(candidates())
        #expect(plan.shortlist == configs([(1, 4), (2, 2), (2, 4)]))
        #expect(plan.fallback == configs([(3, 1), (1, 2), (2, 1)]))
        #expect(strategy.name == "top1 by distance, then top3 by distance")
    }
}

/// The toy space's legality as a throwing check (for the hand-written strategy).
private func checked(_ config: ToyConfig) throws -> ToyConfig {
    if let error = ToySpace().legalityError(config, for: ToyProblem(target: 6)) { throw error }
    return config
}
