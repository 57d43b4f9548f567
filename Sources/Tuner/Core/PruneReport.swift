/// What pruning did to one problem's space: how many candidates each stage removed, in order.
///
/// Each removed candidate is counted once, by the first stage that removes it: duplicates, then
/// illegality, then the rules in the space's order.
public struct PruneReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Candidates the generator cannot build, grouped by the kind of error.
    public struct IllegalKind: Sendable, Hashable, Codable {
        /// The error's type and case (`"ConfigError.tooManyThreads"`).
        public var kind: String
        /// Candidates rejected with this kind.
        public var count: Int
        /// The message of the first one, as an example.
        public var example: String
    }

    /// What one rule removed.
    public struct RuleCount: Sendable, Hashable, Codable {
        /// The rule's name.
        public var name: String
        /// The rule's one-line reason.
        public var reason: String
        /// Where the rule's knowledge comes from.
        public var provenance: RuleProvenance
        /// Candidates this rule removed (and no earlier stage did).
        public var removed: Int
    }

    /// The space's name.
    public var space: String
    /// Candidates the space enumerated.
    public var enumerated: Int
    /// Candidates enumerated more than once (kept once, at their first position).
    public var duplicates: Int
    /// Illegal candidates by kind of error, in order of first appearance.
    public var illegalKinds: [IllegalKind]
    /// Per rule, in the space's order.
    public var rules: [RuleCount]
    /// Candidates left after every rule.
    public var survivors: Int

    /// All illegal candidates.
    public var illegal: Int { illegalKinds.reduce(0) { $0 + $1.count } }

    /// One line: `"spmm: 1200 enumerated, 30 illegal, -120 wide-tile, -40 chunk, 1010 left"`.
    public var description: String {
        var parts = ["\(enumerated) enumerated"]
        if duplicates > 0 { parts.append("\(duplicates) duplicate") }
        parts.append("\(illegal) illegal")
        parts += rules.map { "-\($0.removed) \($0.name)" }
        parts.append("\(survivors) left")
        return "\(space): " + parts.joined(separator: ", ")
    }
}
