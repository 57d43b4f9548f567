extension Search {
    /// Tunes `problem`: measures the schedule's shortlist and extras in order through
    /// `measurer` until done or over budget, records every trial to `sink` as it ends, and
    /// returns the fastest correct trial.
    ///
    /// If no trial is correct when the shortlist ends (or the budget stops it), the search goes
    /// on down the unmeasured shortlist and then the fallback, ignoring the budget, for at most
    /// ``fallbackLimit`` more trials, and throws ``SearchError/noCorrectCandidate(tried:failures:)``
    /// if still none is correct.
    package func run(
        for problem: Space.Problem,
        measurer: some Measurer<Space.Problem, Space.Config>,
        sink: some TrialSink<Space.Problem, Space.Config>
    ) throws(SearchError<Space.Config>) -> SearchResult<Space.Config> {
        let start = clock.now()
        return try run(schedule(for: problem), for: problem, measurer: measurer, sink: sink, start: start)
    }

    /// Measures `schedule` (this search's, or one a stage rewrote) as ``run(for:measurer:sink:)``
    /// says, the search having started at `start` on ``clock``.
    package func run(
        _ schedule: SearchSchedule<Space.Config>, for problem: Space.Problem,
        measurer: some Measurer<Space.Problem, Space.Config>,
        sink: some TrialSink<Space.Problem, Space.Config>, start: Double
    ) throws(SearchError<Space.Config>) -> SearchResult<Space.Config> {
        let queue = schedule.queue
        guard !queue.isEmpty || !schedule.fallback.isEmpty else {
            throw .noCandidates(schedule.prune.report)
        }

        // Recalled trials are not prepared (nothing to compile for them).
        var recalledTrials: [Space.Config: Trial<Space.Config>] = [:]
        for (config, _) in queue {
            if let trial = sink.recall(config, for: problem) { recalledTrials[config] = trial }
        }
        let prepareStart = clock.now()
        measurer.prepare(queue.map(\.config).filter { recalledTrials[$0] == nil }, for: problem)
        let prepareSeconds = clock.now() - prepareStart

        var trials: [Trial<Space.Config>] = []
        var recalled = 0
        var measureSeconds = 0.0
        func take(_ config: Space.Config, _ origin: TrialOrigin) throws(SearchError<Space.Config>) {
            if var trial = recalledTrials[config] ?? sink.recall(config, for: problem) {
                trial.origin = origin
                trials.append(trial)
                recalled += 1
                return
            }
            let measureStart = clock.now()
            var trial = measurer.measure(config, for: problem)
            measureSeconds += clock.now() - measureStart
            precondition(trial.config == config, "measurer returned a trial of \(trial.config) for \(config)")
            trial.origin = origin
            try keep(trial, of: problem, in: sink, measuredBy: measurer)
            trials.append(trial)
        }

        var stop = StopReason.completed
        var next = queue.startIndex
        while next < queue.endIndex {
            if let reason = budget.exhausted(trials: trials.count, elapsed: clock.now() - start) {
                stop = reason
                break
            }
            try take(queue[next].config, queue[next].origin)
            next += 1
        }
        let unmeasured = Array(queue[next...])

        var fallbackTrials = 0
        if !trials.contains(where: \.isCorrect) {
            // The unmeasured shortlist first (the strategy preferred it), then the fallback.
            let rescue = unmeasured + schedule.fallback.map { ($0, TrialOrigin.fallback) }
            for (config, origin) in rescue.prefix(max(0, fallbackLimit)) {
                try take(config, origin)
                fallbackTrials += 1
                if trials.last?.isCorrect == true { break }
            }
        }
        let measuredConfigs = Set(trials.map(\.config))

        // min(by:) keeps the first of equal elements, so a tie goes to the earlier trial.
        let correct = trials.filter(\.isCorrect)
        guard let best = correct.min(by: { ($0.seconds ?? .infinity) < ($1.seconds ?? .infinity) }) else {
            throw .noCorrectCandidate(tried: trials.count, failures: Array(trials.prefix(8)))
        }
        let timing = SearchTiming(
            prune: schedule.pruneSeconds, plan: schedule.planSeconds, prepare: prepareSeconds,
            measure: measureSeconds, total: clock.now() - start)
        return SearchResult(
            strategy: schedule.strategy, best: best, trials: trials, prune: schedule.prune,
            planned: queue.map(\.config), notMeasured: unmeasured.map(\.config).filter { !measuredConfigs.contains($0) },
            rejected: schedule.rejected, stop: stop, fallbackTrials: fallbackTrials, recalled: recalled,
            timing: timing)
    }
}

extension Search {
    /// Records `trial` in `sink`, then stops the search if it left `measurer` unusable.
    func keep(
        _ trial: Trial<Space.Config>, of problem: Space.Problem, in sink: some TrialSink<Space.Problem, Space.Config>,
        measuredBy measurer: some Measurer<Space.Problem, Space.Config>
    ) throws(SearchError<Space.Config>) {
        do {
            try sink.record(trial, for: problem)
        } catch {
            throw .sinkFailed(error)
        }
        if let reason = measurer.unusableReason { throw .measurerUnusable(trial, reason: reason) }
    }
}
