import Testing
import Tuner

@Suite struct SearchTests {
    let problem = ToyProblem(target: 6)
    let space = ToySpace(rules: toyRules)

    func search(
        _ strategy: some SearchStrategy<ToyProblem, ToyConfig>, extras: [ToyConfig] = [],
        budget: SearchBudget = .unlimited, fallbackLimit: Int = 16, measurer: FakeMeasurer
    ) -> Search<ToySpace> {
        Search(
            space: space, strategy: strategy, extras: extras, budget: budget, fallbackLimit: fallbackLimit,
            clock: measurer.clock.clock)
    }

    @Test func keepsTheFastestCorrectTrialAndRecordsEveryTrialInOrder() throws {
        let measurer = FakeMeasurer()
        measurer.wrongResults = [ToyConfig(1, 4)]
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>()
        let result = try search(RankedTopK(toyModel, k: 4), measurer: measurer).run(for: problem, measurer: measurer, sink: sink)
        let order = configs([(1, 4), (2, 2), (2, 4), (3, 1)])
        #expect(measurer.measured == order)
        #expect(measurer.prepared == [order])
        #expect(result.trials.map(\.config) == order)
        #expect(sink.trials == result.trials)
        #expect(sink.records.allSatisfy { $0.problem == problem })
        // (2, 2) and (2, 4) are both 2 away from 6 and a = 2: equal times, the first measured wins.
        #expect(result.best.config == ToyConfig(2, 2))
        #expect(result.best.seconds == 3.02)
        #expect(result.count(.ok) == 3)
        #expect(result.count(.wrongResult) == 1)
        #expect(result.trials.allSatisfy { $0.origin == .shortlist })
        #expect(result.stop == .completed)
        #expect(result.fallbackTrials == 0)
        #expect(result.notMeasured.isEmpty)
        #expect(result.timing.measure == 4)
        #expect(result.timing.total == 4)
        #expect(result.compileSeconds == 0.75)
        #expect(result.strategy == "top4 by distance")
        #expect(result.prune.report.survivors == 6)
    }

    @Test func exhaustiveMeasuresEverySurvivor() throws {
        let measurer = FakeMeasurer()
        let result = try search(Exhaustive(), measurer: measurer).run(
            for: problem, measurer: measurer, sink: MemoryTrialSink())
        #expect(measurer.measured == space.prune(problem).survivors)
        #expect(result.best.config == ToyConfig(1, 4))  // distance 2, a = 1: the fastest
    }

    @Test func fallsBackPastAShortlistWithNoCorrectCandidate() throws {
        let measurer = FakeMeasurer()
        measurer.compileErrors = [ToyConfig(1, 4), ToyConfig(2, 2)]
        measurer.wrongResults = [ToyConfig(2, 4)]
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>()
        let result = try search(RankedTopK(toyModel, k: 2), measurer: measurer).run(
            for: problem, measurer: measurer, sink: sink)
        // The rest of the ranking, one at a time, until (3, 1) is correct.
        #expect(measurer.measured == configs([(1, 4), (2, 2), (2, 4), (3, 1)]))
        #expect(result.best.config == ToyConfig(3, 1))
        #expect(result.best.origin == .fallback)
        #expect(result.fallbackTrials == 2)
        #expect(sink.trials.map(\.origin) == [.shortlist, .shortlist, .fallback, .fallback])
        #expect(measurer.prepared == [configs([(1, 4), (2, 2)])])
    }

    @Test func fallbackContinuesWithUnlistedSurvivorsAfterAStrategysOwnFallback() throws {
        let measurer = FakeMeasurer()
        measurer.compileErrors = [ToyConfig(2, 2)]
        let strategy = FixedList<ToyProblem, ToyConfig>(configs([(2, 2)]))
        let result = try search(strategy, measurer: measurer).run(for: problem, measurer: measurer, sink: MemoryTrialSink())
        #expect(measurer.measured == configs([(2, 2), (1, 2)]))  // then enumeration order
        #expect(result.best.config == ToyConfig(1, 2))
    }

    @Test func throwsWithTheFirstFailuresWhenNothingIsCorrect() {
        let measurer = FakeMeasurer()
        measurer.compileErrors = Set(space.enumerate(problem))
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>()
        let search = search(RankedTopK(toyModel, k: 2), fallbackLimit: 3, measurer: measurer)
        do {
            _ = try search.run(for: problem, measurer: measurer, sink: sink)
            Issue.record("expected no correct candidate")
        } catch {
            guard case .noCorrectCandidate(let tried, let failures) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(tried == 5)  // the shortlist's 2 and the fallback limit's 3
            #expect(failures.map(\.config) == configs([(1, 4), (2, 2), (2, 4), (3, 1), (1, 2)]))
            #expect(error.description.hasPrefix("none of 5 candidates was correct; first failures: a1.b4: compile error"))
        }
        #expect(sink.trials.count == 5)
    }

    @Test func extrasAreMeasuredAfterTheShortlistAndIllegalOnesRejectedWithTheirRule() throws {
        let measurer = FakeMeasurer()
        let extras = configs([(4, 4), (4, 1), (2, 2), (4, 1)])
        let search = search(RankedTopK(toyModel, k: 2), extras: extras, measurer: measurer)
        let schedule = search.schedule(for: problem)
        #expect(schedule.extras == configs([(4, 1)]))  // (2, 2) is on the shortlist already
        #expect(schedule.rejected.map(\.config) == configs([(4, 4)]))
        #expect(schedule.rejected.map(\.origin) == [.extra])
        #expect(schedule.rejected.first?.message == "a4.b4: productTooLarge(product: 16, limit: 12)")
        let result = try search.run(for: problem, measurer: measurer, sink: MemoryTrialSink())
        #expect(measurer.measured == configs([(1, 4), (2, 2), (4, 1)]))
        #expect(result.trials.map(\.origin) == [.shortlist, .shortlist, .extra])
        #expect(result.rejected.count == 1)
    }

    @Test func illegalConfigsFromAStrategyNeverReachTheMeasurer() throws {
        let measurer = FakeMeasurer()
        let strategy = CustomStrategy<ToyProblem, ToyConfig>("careless") { _, _ in configs([(4, 4), (2, 2)]) }
        let result = try search(strategy, measurer: measurer).run(for: problem, measurer: measurer, sink: MemoryTrialSink())
        #expect(measurer.measured == configs([(2, 2)]))
        #expect(result.rejected.map(\.origin) == [.shortlist])
    }

    @Test func nothingToMeasureIsAnError() {
        let everything = PruningRule<ToyProblem, ToyConfig>("all", reason: "test", provenance: .algorithm("toy")) { _, _ in true }
        let measurer = FakeMeasurer()
        let search = Search(space: ToySpace(rules: [everything]), strategy: Exhaustive(), clock: measurer.clock.clock)
        #expect(throws: SearchError<ToyConfig>.self) {
            try search.run(for: problem, measurer: measurer, sink: MemoryTrialSink())
        }
        #expect(measurer.measured.isEmpty)
    }

    @Test func aFailingSinkStopsTheSearch() {
        let measurer = FakeMeasurer()
        let search = search(Exhaustive(), measurer: measurer)
        do {
            _ = try search.run(for: problem, measurer: measurer, sink: FailingSink())
            Issue.record("expected the sink's failure")
        } catch {
            guard case .sinkFailed(let cause) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(cause is FailingSink.Full)
        }
        #expect(measurer.measured.count == 1)
    }

    @Test func aRerunRecallsRecordedTrialsInsteadOfMeasuring() throws {
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>(recalls: true)
        let first = FakeMeasurer()
        _ = try search(RankedTopK(toyModel, k: 3), measurer: first).run(for: problem, measurer: first, sink: sink)
        let second = FakeMeasurer()
        let result = try search(RankedTopK(toyModel, k: 4), measurer: second).run(for: problem, measurer: second, sink: sink)
        #expect(second.measured == configs([(3, 1)]))
        #expect(second.prepared == [configs([(3, 1)])])
        #expect(result.recalled == 3)
        #expect(result.trials.count == 4)
        #expect(sink.trials.count == 4)  // recalled trials are not recorded twice
    }
}
