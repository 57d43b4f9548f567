/// What a search will measure for one problem, before measuring anything (a dry run).
package struct SearchSchedule<Config> {
    /// The pruning of the space.
    package var prune: PruneOutcome<Config>
    /// The strategy's name.
    package var strategy: String
    /// The strategy's shortlist: legal, without repeats, in order.
    package var shortlist: [Config]
    /// The user's extras that are legal and not on the shortlist, in order.
    package var extras: [Config]
    /// What is measured when nothing above is correct: the strategy's fallback, then the other
    /// survivors in enumeration order; legal, without repeats, none of the above.
    package var fallback: [Config]
    /// Configs of the plan or the extras that are not legal, with the rule each breaks.
    package var rejected: [Rejection<Config>]
    /// Seconds spent pruning.
    package var pruneSeconds: Double
    /// Seconds spent planning (ranking included).
    package var planSeconds: Double

    /// The shortlist then the extras, each with its origin: what the search measures in order.
    package var queue: [(config: Config, origin: TrialOrigin)] {
        shortlist.map { ($0, .shortlist) } + extras.map { ($0, .extra) }
    }
}

extension SearchSchedule: Sendable where Config: Sendable {}
