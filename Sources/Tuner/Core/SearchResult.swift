/// Where a search's time went, in seconds of its clock.
public struct SearchTiming: Sendable, Hashable, Codable {
    /// Enumerating and pruning.
    public var prune: Double
    /// The strategy's planning (ranking included).
    public var plan: Double
    /// The measurer's batch preparation (typically compiling the shortlist).
    public var prepare: Double
    /// Measuring, summed over trials (compiling inside `measure` included).
    public var measure: Double
    /// The whole search.
    public var total: Double
}

/// What a search found for one problem.
public struct SearchResult<Config> {
    /// The strategy's name.
    public var strategy: String
    /// The fastest correct trial (the first measured on a tie).
    public var best: Trial<Config>
    /// Every trial, in the order measured (recalled ones included).
    public var trials: [Trial<Config>]
    /// The pruning of the space.
    public var prune: PruneOutcome<Config>
    /// The shortlist and extras as planned, in order.
    public var planned: [Config]
    /// Planned configs the budget left unmeasured, in order.
    public var notMeasured: [Config]
    /// Configs of the plan or the extras that are not legal.
    public var rejected: [Rejection<Config>]
    /// Why the shortlist stopped.
    public var stop: StopReason
    /// Trials measured past the shortlist because none of it was correct.
    public var fallbackTrials: Int
    /// Trials reused from the sink instead of measured.
    public var recalled: Int
    /// Where the time went.
    public var timing: SearchTiming

    /// The best config.
    public var config: Config { best.config }

    /// Trials that ended with status `kind`.
    public func count(_ kind: TrialStatus.Kind) -> Int {
        trials.count { $0.status.kind == kind }
    }

    /// Seconds the measurer reported compiling, summed over trials that report it.
    public var compileSeconds: Double {
        trials.reduce(0) { $0 + ($1.compileSeconds ?? 0) }
    }
}

extension SearchResult: Sendable where Config: Sendable {}
