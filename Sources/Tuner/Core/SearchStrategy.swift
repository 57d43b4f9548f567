/// What a strategy gets to choose from: the problem, the pruned survivors, and the space's
/// legality (a strategy may name configs the rules pruned, such as a measured portfolio, but
/// only legal ones).
package struct SearchCandidates<Problem, Config> {
    /// The problem tuned for.
    package let problem: Problem
    /// The candidates left after pruning, in enumeration order.
    package let survivors: [Config]
    private let legality: (Config) -> (any Error)?

    /// Candidates of `problem` with `legality` answering for configs outside `survivors`.
    package init(problem: Problem, survivors: [Config], legality: @escaping (Config) -> (any Error)?) {
        self.problem = problem
        self.survivors = survivors
        self.legality = legality
    }

    /// Why `config` cannot be generated for the problem, or `nil` when it is legal.
    package func legalityError(_ config: Config) -> (any Error)? { legality(config) }

    /// Whether `config` is legal for the problem.
    package func isLegal(_ config: Config) -> Bool { legality(config) == nil }
}

/// A strategy's answer: what to measure, in order, and where to look next if none of it turns
/// out correct.
package struct SearchPlan<Config> {
    /// The configs to measure, best first.
    package var shortlist: [Config]
    /// Further configs, best first, measured only when nothing on the shortlist is correct
    /// (``Search`` then continues with the survivors not listed anywhere, in enumeration order).
    package var fallback: [Config]

    /// A plan measuring `shortlist`, falling back to `fallback`.
    package init(shortlist: [Config], fallback: [Config] = []) {
        self.shortlist = shortlist
        self.fallback = fallback
    }
}

extension SearchPlan: Sendable where Config: Sendable {}
extension SearchPlan: Equatable where Config: Equatable {}

/// Chooses which candidates to measure, in which order. Strategies compose
/// (``FixedList``, ``followed(by:)``, ``limited(to:)``, ``CustomStrategy``), so a measured
/// portfolio followed by a model's ranking is one strategy, selectable beside the others.
package protocol SearchStrategy<Problem, Config>: Sendable {
    /// What is tuned for.
    associatedtype Problem
    /// One candidate.
    associatedtype Config: Hashable

    /// A short name for reports (`"top8 by hand-h200"`).
    var name: String { get }

    /// The shortlist and fallback for `candidates`.
    func plan(_ candidates: SearchCandidates<Problem, Config>) -> SearchPlan<Config>
}

/// `configs` without repeats, keeping first positions.
func uniqued<Config: Hashable>(_ configs: [Config]) -> [Config] {
    var seen = Set<Config>()
    return configs.filter { seen.insert($0).inserted }
}
