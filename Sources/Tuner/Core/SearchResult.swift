/// Where a search's time went, in seconds of its clock.
package struct SearchTiming: Sendable, Hashable, Codable {
    /// Enumerating and pruning.
    package var prune: Double
    /// The strategy's planning (ranking included).
    package var plan: Double
    /// The measurer's batch preparation (typically compiling the shortlist).
    package var prepare: Double
    /// Measuring, summed over trials (compiling inside `measure` included).
    package var measure: Double
    /// The whole search.
    package var total: Double
}

/// What a search found for one problem.
package struct SearchResult<Config> {
    /// The strategy's name.
    package var strategy: String
    /// The fastest correct trial (the first measured on a tie).
    package var best: Trial<Config>
    /// Every trial, in the order measured (recalled ones included).
    package var trials: [Trial<Config>]
    /// The pruning of the space.
    package var prune: PruneOutcome<Config>
    /// The shortlist and extras as planned, in order.
    package var planned: [Config]
    /// Planned configs the budget left unmeasured, in order.
    package var notMeasured: [Config]
    /// Configs of the plan or the extras that are not legal.
    package var rejected: [Rejection<Config>]
    /// Why the shortlist stopped.
    package var stop: StopReason
    /// Trials measured past the shortlist because none of it was correct.
    package var fallbackTrials: Int
    /// Trials reused from the sink instead of measured.
    package var recalled: Int
    /// Where the time went.
    package var timing: SearchTiming
    /// The proxy trials of a search with a proxy stage (``ProxyStage``), in the order measured.
    package var proxyTrials: [Trial<Config>] = []

    /// The best config.
    package var config: Config { best.config }

    /// Trials that ended with status `kind`.
    package func count(_ kind: TrialStatus.Kind) -> Int {
        trials.count { $0.status.kind == kind }
    }

    /// Seconds the measurer reported compiling, summed over trials that report it.
    package var compileSeconds: Double {
        trials.reduce(0) { $0 + ($1.compileSeconds ?? 0) }
    }
}

extension SearchResult: Sendable where Config: Sendable {}
