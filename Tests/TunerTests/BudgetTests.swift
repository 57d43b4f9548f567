import Testing
import Tuner

@Suite struct BudgetTests {
    let problem = ToyProblem(target: 6)
    let space = ToySpace(rules: toyRules)

    @Test func aTrialBudgetStopsTheShortlistEarly() throws {
        let measurer = FakeMeasurer()
        let search = Search(
            space: space, strategy: Exhaustive(rankedBy: toyModel), budget: SearchBudget(maxTrials: 2),
            clock: measurer.clock.clock)
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>()
        let result = try search.run(for: problem, measurer: measurer, sink: sink)
        #expect(measurer.measured == configs([(1, 4), (2, 2)]))
        #expect(result.stop == .trialBudget)
        #expect(result.notMeasured == configs([(2, 4), (3, 1), (1, 2), (2, 1)]))
        #expect(sink.trials.count == 2)
    }

    @Test func aTimeBudgetStopsTheShortlistEarly() throws {
        let measurer = FakeMeasurer()  // each trial takes one second of the fake clock
        let search = Search(
            space: space, strategy: Exhaustive(), budget: SearchBudget(maxSeconds: 2.5), clock: measurer.clock.clock)
        let result = try search.run(for: problem, measurer: measurer, sink: MemoryTrialSink())
        #expect(measurer.measured.count == 3)
        #expect(result.stop == .timeBudget)
        #expect(result.timing.total == 3)
    }

    @Test func theBudgetNeverStopsTheSearchBeforeOneCorrectCandidate() throws {
        let measurer = FakeMeasurer()
        measurer.compileErrors = [ToyConfig(1, 4), ToyConfig(2, 2)]
        let search = Search(
            space: space, strategy: Exhaustive(rankedBy: toyModel), budget: SearchBudget(maxTrials: 1),
            clock: measurer.clock.clock)
        let result = try search.run(for: problem, measurer: measurer, sink: MemoryTrialSink())
        // The unmeasured shortlist is tried first, past the budget, until (2, 4) is correct.
        #expect(measurer.measured == configs([(1, 4), (2, 2), (2, 4)]))
        #expect(result.stop == .trialBudget)
        #expect(result.fallbackTrials == 2)
        #expect(result.best.origin == .shortlist)
        #expect(result.notMeasured == configs([(3, 1), (1, 2), (2, 1)]))
    }
}
