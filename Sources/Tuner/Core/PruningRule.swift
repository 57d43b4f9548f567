/// One named reason to drop legal candidates before anything is measured.
///
/// A rule either judges each candidate alone (``init(_:reason:provenance:rejects:)``) or, when
/// its verdict depends on which other candidates exist ("drop chunks above the smallest one
/// that covers the longest row"), sees the candidates still alive when it runs
/// (``init(_:reason:provenance:rejectsAmong:)``): rules run in order, each over the survivors
/// of the rules before it, so a set-level rule never removes the last alternative that an
/// earlier rule already took away.
package struct PruningRule<Problem, Config>: Sendable {
    /// A short identifier for reports and audits (`"chunk-beyond-longest-row"`).
    package let name: String
    /// One line saying why a removed candidate is not expected to win.
    package let reason: String
    /// Where the knowledge behind the rule comes from.
    package let provenance: RuleProvenance
    // Built once per pruning pass, so a set-level rule computes its summary (the smallest
    // useful chunk, the widest legal vector) once, not once per candidate.
    private let makeTest: @Sendable (_ candidates: [Config], _ problem: Problem) -> (Config) -> Bool

    /// A rule that judges each candidate alone: `rejects(config, problem)` is true to drop it.
    package init(
        _ name: String, reason: String, provenance: RuleProvenance,
        rejects: @escaping @Sendable (Config, Problem) -> Bool
    ) {
        self.name = name
        self.reason = reason
        self.provenance = provenance
        self.makeTest = { _, problem in { rejects($0, problem) } }
    }

    /// A rule whose verdict depends on the other candidates: `rejectsAmong(candidates, problem)`
    /// is called once per pass with the candidates alive at this rule (in enumeration order)
    /// and returns the test that is true to drop one of them.
    package init(
        _ name: String, reason: String, provenance: RuleProvenance,
        rejectsAmong: @escaping @Sendable (_ candidates: [Config], _ problem: Problem) -> (Config) -> Bool
    ) {
        self.name = name
        self.reason = reason
        self.provenance = provenance
        self.makeTest = rejectsAmong
    }

    /// This rule's test for one pass over `candidates`: true for those it drops.
    package func rejectionTest(among candidates: [Config], for problem: Problem) -> (Config) -> Bool {
        makeTest(candidates, problem)
    }
}
