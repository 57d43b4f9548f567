extension Search {
    /// Audits the pruning rules on `problem`: runs this search over the survivors, then, for
    /// each rule that removed candidates, measures up to `sample` of them (spread evenly over
    /// the rule's removals in enumeration order; recalled from `sink` when stored, recorded there
    /// with origin ``TrialOrigin/extra`` otherwise) and reports whether any beat the survivors'
    /// best. A fault stops it as it stops ``run(for:measurer:sink:)``.
    package func auditRules(
        for problem: Space.Problem, measurer: some Measurer<Space.Problem, Space.Config>,
        sink: some TrialSink<Space.Problem, Space.Config>, sample: Int
    ) throws(SearchError<Space.Config>) -> RuleAuditResult<Space.Config> {
        let search = try run(for: problem, measurer: measurer, sink: sink)
        let best = search.best.seconds ?? .infinity
        var removedByRule: [String: [Space.Config]] = [:]
        for removal in search.prune.removed {
            if case let .rule(name) = removal.cause { removedByRule[name, default: []].append(removal.config) }
        }
        let names = space.rules.map(\.name).filter { removedByRule[$0] != nil }
        var audits: [RuleAudit] = []
        var trials: [Trial<Space.Config>] = []
        for name in names {
            let removed = removedByRule[name] ?? []
            let count = min(max(0, sample), removed.count)
            let picked = (0..<count).map { removed[$0 * removed.count / count] }
            measurer.prepare(picked.filter { sink.recall($0, for: problem) == nil }, for: problem)
            var ruleTrials: [Trial<Space.Config>] = []
            for config in picked {
                if let trial = sink.recall(config, for: problem) {
                    ruleTrials.append(trial)
                    continue
                }
                var trial = measurer.measure(config, for: problem)
                precondition(trial.config == config, "measurer returned a trial of \(trial.config) for \(config)")
                trial.origin = .extra
                try keep(trial, of: problem, in: sink, measuredBy: measurer)
                ruleTrials.append(trial)
            }
            trials += ruleTrials
            let fastest = ruleTrials.filter(\.isCorrect).min { ($0.seconds ?? .infinity) < ($1.seconds ?? .infinity) }
            audits.append(RuleAudit(
                rule: name, removed: removed.count, measured: ruleTrials.count, correct: ruleTrials.count(where: \.isCorrect),
                bestRemovedConfig: fastest.map { "\($0.config)" }, bestRemovedSeconds: fastest?.seconds,
                survivorsBestSeconds: best))
        }
        return RuleAuditResult(search: search, rules: audits, trials: trials)
    }
}
