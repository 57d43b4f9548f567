import Testing
import Tuner

@Suite struct RuleAuditTests {
    let problem = ToyProblem(target: 6)
    let space = ToySpace(rules: toyRules)

    @Test func eachRulesSampleIsMeasuredAndComparedWithTheSurvivorsBest() throws {
        let prune = space.prune(problem)
        let measurer = FaultyMeasurer()
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>()
        let audit = try Search(space: space, strategy: Exhaustive()).auditRules(for: problem, measurer: measurer, sink: sink, sample: 4)
        // The survivors first, then at most four of each rule's removals.
        #expect(Array(measurer.measured.prefix(prune.survivors.count)) == prune.survivors)
        #expect(audit.rules.map(\.rule) == ["odd-b", "a4", "a3-smallest-b"])
        for rule in audit.rules {
            let removed = prune.removed.filter { $0.cause == .rule(rule.rule) }.map(\.config)
            #expect(rule.removed == removed.count)
            #expect(rule.measured == min(4, removed.count))
            #expect(rule.correct == rule.measured)
            #expect(rule.survivorsBestSeconds == audit.search.best.seconds)
        }
        #expect(audit.trials.allSatisfy { $0.origin == .extra })
        #expect(sink.trials.count == measurer.measured.count)
        // odd-b removed (2, 3), the true best (a x b = 6): it beats the survivors.
        let oddB = try #require(audit.rules.first { $0.rule == "odd-b" })
        #expect(prune.cause(of: ToyConfig(2, 3)) == .rule("odd-b"))
        #expect(oddB.bestRemovedConfig == "a2.b3")
        #expect(oddB.beatsSurvivors)
        #expect((oddB.speedup ?? 0) > 1)
        let a4 = try #require(audit.rules.first { $0.rule == "a4" })
        #expect(!a4.beatsSurvivors)
    }

    @Test func aFaultWhileAuditingStopsAndIsRecorded() throws {
        let prune = space.prune(problem)
        let measurer = FaultyMeasurer()
        let faulty = try #require(prune.removed.first { $0.cause == .rule("a4") }?.config)
        measurer.faults = [faulty]
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>()
        #expect(throws: SearchError<ToyConfig>.self) {
            _ = try Search(space: space, strategy: Exhaustive()).auditRules(for: problem, measurer: measurer, sink: sink, sample: 8)
        }
        #expect(sink.trials.last?.config == faulty)
        #expect(sink.trials.last?.status.kind == .launchError)
    }
}
