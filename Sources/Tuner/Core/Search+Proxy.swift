extension Search {
    /// Tunes `problem` with a proxy stage: each shortlisted candidate is timed by `measurer`'s
    /// proxy (recorded in `sink` as a ``TrialPhase/proxy`` trial, or as a full one when the proxy
    /// failed; a candidate with a recalled full trial is ranked by its proxy time, else its full
    /// time), then the `stage.keep` fastest by proxy are measured fully as
    /// ``run(for:measurer:sink:)`` measures a shortlist, each full trial carrying its proxy time.
    /// The rest of the shortlist, in proxy order, goes before the fallback. The budget stops the
    /// proxy stage too.
    package func run(
        for problem: Space.Problem, measurer: some ProxyMeasurer<Space.Problem, Space.Config>,
        sink: some TrialSink<Space.Problem, Space.Config>, proxy stage: ProxyStage
    ) throws(SearchError<Space.Config>) -> SearchResult<Space.Config> {
        let start = clock.now()
        var schedule = schedule(for: problem)
        let shortlist = schedule.shortlist
        let unrecalled = shortlist.filter { sink.recall($0, for: problem) == nil }
        measurer.prepare(unrecalled, for: problem)

        var proxyTrials: [Trial<Space.Config>] = []
        var ranked: [(config: Space.Config, seconds: Double)] = []
        for config in shortlist {
            if budget.exhausted(trials: 0, elapsed: clock.now() - start) != nil { break }
            if let full = sink.recall(config, for: problem) {
                // Its proxy time when it has one, so a rerun ranks as the first run did.
                ranked.append((config, full.proxySeconds ?? full.seconds ?? .infinity))
                continue
            }
            var trial = measurer.measureProxy(config, for: problem)
            precondition(trial.config == config, "measurer returned a proxy trial of \(trial.config) for \(config)")
            trial.origin = .shortlist
            // A proxy that failed (did not compile, faulted) stands for the kernel: recorded as a
            // full trial, so a rerun recalls it instead of running it again.
            trial.phase = trial.isCorrect ? .proxy : .full
            trial.proxySeconds = trial.seconds
            try keep(trial, of: problem, in: sink, measuredBy: measurer)
            proxyTrials.append(trial)
            ranked.append((config, trial.seconds ?? .infinity))
        }
        // A stable order: a tie keeps the strategy's order.
        let order = ranked.enumerated().sorted { ($0.element.seconds, $0.offset) < ($1.element.seconds, $1.offset) }
            .map(\.element.config)
        let kept = Array(order.prefix(stage.keep))
        let unranked = shortlist.dropFirst(ranked.count)
        schedule.shortlist = kept
        schedule.fallback = Array(order.dropFirst(kept.count)) + unranked + schedule.fallback
        schedule.strategy += ", proxy then the best \(stage.keep)"

        var times: [Space.Config: Double] = [:]
        for trial in proxyTrials { if let seconds = trial.seconds { times[trial.config] = seconds } }
        var result = try run(
            schedule, for: problem, measurer: ProxyAnnotatedMeasurer(base: measurer, proxySeconds: times), sink: sink,
            start: start)
        result.proxyTrials = proxyTrials
        return result
    }
}
