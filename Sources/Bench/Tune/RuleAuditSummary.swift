import Tuner

/// One pruning rule's audit over every problem of `sparrow tune --audit-rules`.
package struct RuleAuditSummary: Sendable, Hashable, Codable {
    package var rule: String
    /// Problems where the rule removed something, and the removals, measured and correct ones
    /// summed over them.
    package var problems: Int
    package var removed: Int
    package var measured: Int
    package var correct: Int
    /// Problems where a removed candidate beat the survivors' best, and the largest margin
    /// (survivors' best over the removed one's time; nil when none beat it).
    package var beaten: Int
    package var largestSpeedup: Double?

    /// One summary per rule, in the order the rules first appear in `audits` (one list per problem).
    package static func summaries(_ audits: [[RuleAudit]]) -> [RuleAuditSummary] {
        var order: [String] = []
        var byRule: [String: RuleAuditSummary] = [:]
        for audit in audits.joined() {
            if byRule[audit.rule] == nil {
                order.append(audit.rule)
                byRule[audit.rule] = RuleAuditSummary(
                    rule: audit.rule, problems: 0, removed: 0, measured: 0, correct: 0, beaten: 0, largestSpeedup: nil)
            }
            byRule[audit.rule]?.add(audit)
        }
        return order.compactMap { byRule[$0] }
    }

    mutating func add(_ audit: RuleAudit) {
        problems += 1
        removed += audit.removed
        measured += audit.measured
        correct += audit.correct
        if audit.beatsSurvivors, let speedup = audit.speedup {
            beaten += 1
            largestSpeedup = max(largestSpeedup ?? 0, speedup)
        }
    }
}
