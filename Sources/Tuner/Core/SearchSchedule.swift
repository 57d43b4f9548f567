/// What a search will measure for one problem, before measuring anything (a dry run).
public struct SearchSchedule<Config> {
    /// The pruning of the space.
    public var prune: PruneOutcome<Config>
    /// The strategy's name.
    public var strategy: String
    /// The strategy's shortlist: legal, without repeats, in order.
    public var shortlist: [Config]
    /// The user's extras that are legal and not on the shortlist, in order.
    public var extras: [Config]
    /// What is measured when nothing above is correct: the strategy's fallback, then the other
    /// survivors in enumeration order; legal, without repeats, none of the above.
    public var fallback: [Config]
    /// Configs of the plan or the extras that are not legal, with the rule each breaks.
    public var rejected: [Rejection<Config>]
    /// Seconds spent pruning.
    public var pruneSeconds: Double
    /// Seconds spent planning (ranking included).
    public var planSeconds: Double

    /// The shortlist then the extras, each with its origin: what the search measures in order.
    public var queue: [(config: Config, origin: TrialOrigin)] {
        shortlist.map { ($0, .shortlist) } + extras.map { ($0, .extra) }
    }
}

extension SearchSchedule: Sendable where Config: Sendable {}
