/// Several spaces over one config type searched as one (each kernel family its own space, the
/// config an enum of families): a new family joins the union, the search is unchanged.
///
/// Candidates are the members' in member order (a config listed by two members is kept at its
/// first place); a config is legal when some member finds it legal (otherwise the first
/// member's error is reported); the rules are the members' in member order. Every rule sees
/// every family's candidates, so a family's rule must pass configs of other families.
package struct SpaceUnion<Problem, Config: Hashable & Sendable & CustomStringConvertible>: TuningSpace {
    /// The member spaces, in order.
    package let members: [any TuningSpace<Problem, Config>]
    package let name: String

    /// The union of `members`, named `name` (default: the members' names joined by `+`).
    package init(_ members: [any TuningSpace<Problem, Config>], name: String? = nil) {
        self.members = members
        self.name = name ?? members.map { $0.name }.joined(separator: "+")
    }

    package func enumerate(_ problem: Problem) -> [Config] {
        uniqued(members.flatMap { $0.enumerate(problem) })
    }

    package func legalityError(_ config: Config, for problem: Problem) -> (any Error)? {
        var first: (any Error)?
        for member in members {
            guard let error = member.legalityError(config, for: problem) else { return nil }
            if first == nil { first = error }
        }
        return first ?? SpaceUnionError.noMembers
    }

    package var rules: [PruningRule<Problem, Config>] {
        // A closure, not a key path: a key path through an existential crashes the Swift 6.3 compiler.
        members.flatMap { $0.rules }
    }
}

/// Why a ``SpaceUnion`` finds a config illegal without asking a member.
package enum SpaceUnionError: Error, Sendable, Hashable {
    /// The union has no member spaces.
    case noMembers
}
