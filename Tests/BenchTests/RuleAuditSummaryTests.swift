@testable import Bench
import Testing
import Tuner

@Suite struct RuleAuditSummaryTests {
    func audit(_ rule: String, removed: Int, best: Double?, survivors: Double = 1) -> RuleAudit {
        RuleAudit(
            rule: rule, removed: removed, measured: min(removed, 4), correct: best == nil ? 0 : min(removed, 4),
            bestRemovedConfig: best.map { _ in "r8" }, bestRemovedSeconds: best, survivorsBestSeconds: survivors)
    }

    @Test func perRuleOverProblemsCountingTheProblemsWhereARemovalWon() {
        let summaries = RuleAuditSummary.summaries([
            [audit("register", removed: 10, best: 1.2), audit("occupancy", removed: 3, best: 0.8)],
            [audit("register", removed: 6, best: 0.9), audit("occupancy", removed: 2, best: nil)],
        ])
        #expect(summaries.map(\.rule) == ["register", "occupancy"])
        #expect(summaries[0].problems == 2)
        #expect(summaries[0].removed == 16)
        #expect(summaries[0].measured == 8)
        #expect(summaries[0].beaten == 1)
        #expect(abs((summaries[0].largestSpeedup ?? 0) - 1 / 0.9) < 1e-12)
        #expect(summaries[1].correct == 3)
        #expect(summaries[1].beaten == 1)
        #expect(abs((summaries[1].largestSpeedup ?? 0) - 1.25) < 1e-12)
        #expect(RuleAuditSummary.summaries([[audit("x", removed: 1, best: 2)]]).first?.largestSpeedup == nil)
    }
}
