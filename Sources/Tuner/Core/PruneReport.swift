/// What pruning did to one problem's space: how many candidates each stage removed, in order.
///
/// Each removed candidate is counted once, by the first stage that removes it: duplicates, then
/// illegality, then the rules in the space's order.
package struct PruneReport: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Candidates the generator cannot build, grouped by the kind of error.
    package struct IllegalKind: Sendable, Hashable, Codable {
        /// The error's type and case (`"ConfigError.tooManyThreads"`).
        package var kind: String
        /// Candidates rejected with this kind.
        package var count: Int
        /// The message of the first one, as an example.
        package var example: String
    }

    /// What one rule removed.
    package struct RuleCount: Sendable, Hashable, Codable {
        /// The rule's name.
        package var name: String
        /// The rule's one-line reason.
        package var reason: String
        /// Where the rule's knowledge comes from.
        package var provenance: RuleProvenance
        /// Candidates this rule removed (and no earlier stage did).
        package var removed: Int
    }

    /// The space's name.
    package var space: String
    /// Candidates the space enumerated.
    package var enumerated: Int
    /// Candidates enumerated more than once (kept once, at their first position).
    package var duplicates: Int
    /// Illegal candidates by kind of error, in order of first appearance.
    package var illegalKinds: [IllegalKind]
    /// Per rule, in the space's order.
    package var rules: [RuleCount]
    /// Candidates left after every rule.
    package var survivors: Int

    /// All illegal candidates.
    package var illegal: Int { illegalKinds.reduce(0) { $0 + $1.count } }

    /// One line: `"spmm: 1200 enumerated, 30 illegal, -120 wide-tile, -40 chunk, 1010 left"`.
    package var description: String {
        var parts = ["\(enumerated) enumerated"]
        if duplicates > 0 { parts.append("\(duplicates) duplicate") }
        parts.append("\(illegal) illegal")
        parts += rules.map { "-\($0.removed) \($0.name)" }
        parts.append("\(survivors) left")
        return "\(space): " + parts.joined(separator: ", ")
    }
}
