/// What measuring a sample of the candidates one pruning rule removed found on one problem:
/// whether any beat the best of the survivors the search measured (`sparrow tune --audit-rules`).
package struct RuleAudit: Sendable, Hashable, Codable {
    /// The rule's name.
    package var rule: String
    /// Candidates the rule removed on this problem, and how many of them were measured.
    package var removed: Int
    package var measured: Int
    /// Measured ones that were correct.
    package var correct: Int
    /// The fastest correct removed candidate and its time; nil when none was correct.
    package var bestRemovedConfig: String?
    package var bestRemovedSeconds: Double?
    /// The search's best time over the survivors.
    package var survivorsBestSeconds: Double

    package init(
        rule: String, removed: Int, measured: Int, correct: Int, bestRemovedConfig: String?, bestRemovedSeconds: Double?,
        survivorsBestSeconds: Double
    ) {
        self.rule = rule
        self.removed = removed
        self.measured = measured
        self.correct = correct
        self.bestRemovedConfig = bestRemovedConfig
        self.bestRemovedSeconds = bestRemovedSeconds
        self.survivorsBestSeconds = survivorsBestSeconds
    }

    /// Whether a removed candidate was faster than every survivor measured.
    package var beatsSurvivors: Bool { (bestRemovedSeconds ?? .infinity) < survivorsBestSeconds }

    /// Survivors' best over the best removed time: above 1, the rule removed a faster candidate.
    package var speedup: Double? { bestRemovedSeconds.map { survivorsBestSeconds / $0 } }
}

/// A search and the audit of its pruning rules on one problem.
package struct RuleAuditResult<Config> {
    /// The search of the survivors, whose best the removed candidates are measured against.
    package var search: SearchResult<Config>
    /// One audit per rule that removed something, in the order the rules ran.
    package var rules: [RuleAudit]
    /// The removed candidates' trials, in the order measured.
    package var trials: [Trial<Config>]
}

extension RuleAuditResult: Sendable where Config: Sendable {}
