import Tuner

/// What `sparrow tune` found for one problem (one matrix at one n).
package struct TunedProblem: Sendable, Hashable, Codable {
    /// The tensor's name (`model.safetensors/layer.weight`).
    package var name: String
    package var rows: Int
    package var columns: Int
    package var nnz: Int
    /// The dense width.
    package var n: Int
    /// Configs the space enumerated, and those left after pruning.
    package var enumerated: Int
    package var candidates: Int
    /// Trials measured now, and trials recalled from the database instead.
    package var measured: Int
    package var recalled: Int
    /// The fastest correct config's id and its median seconds.
    package var chosen: String
    package var seconds: Double
    /// The default plan's id and median seconds (CPU; nil on the GPU, where the default is a search).
    package var defaultConfig: String?
    package var defaultSeconds: Double?
    /// The whole search, in seconds (recalls included).
    package var searchSeconds: Double
    /// Seconds compiling (batch preparation plus what trials report) and measuring.
    package var compileSeconds: Double?
    package var measureSeconds: Double?
    /// Why the search stopped measuring its list (`completed`, `trialBudget`, `timeBudget`).
    package var stop: StopReason?
    /// With the learned model asked for: why the hand model ranked this problem instead.
    package var handRankedBecause: String?
    /// With `--compare`: the tuned pick against the exhaustive best.
    package var comparison: TuneComparison?
    /// With `--audit-rules`: each pruning rule's removals sampled and measured.
    package var ruleAudits: [RuleAudit]?

    /// Default time over tuned time (above 1: tuning helped).
    package var speedup: Double? { defaultSeconds.map { $0 / seconds } }
}

/// What `sparrow tune FILE...` did.
package struct TuneReport: Sendable, Hashable, Codable {
    /// The database file.
    package var database: String
    /// `cpu` or the GPU's name.
    package var device: String
    /// Why the GPU was not used, when it was wanted and absent.
    package var cpuReason: String?
    /// The search's strategy, as the tuner names it.
    package var strategy: String
    /// The element type tuned (`f32` on the CPU).
    package var dtype: String?
    /// The most seconds each problem's search could take, if limited.
    package var budgetSeconds: Double?
    package var problems: [TunedProblem]

    package var measured: Int { problems.reduce(0) { $0 + $1.measured } }
    /// With `--compare`: tuned against exhaustive over every problem.
    package var comparison: ComparisonSummary? { ComparisonSummary(problems.compactMap(\.comparison)) }
    package var recalled: Int { problems.reduce(0) { $0 + $1.recalled } }
    /// With `--audit-rules`: per rule, over every problem.
    package var ruleAudit: [RuleAuditSummary] { RuleAuditSummary.summaries(problems.compactMap(\.ruleAudits)) }
}

extension TunedProblem {
    /// What `result`, the search of `problem`, found; `defaultConfig` is the default plan when
    /// one was timed beside the search (the CPU).
    init<Config: CustomStringConvertible & Equatable>(
        _ problem: SpMMBenchProblem, _ result: SearchResult<Config>, defaultConfig: Config?
    ) {
        let w = problem.matrix
        self.init(
            name: problem.name, rows: w.rows, columns: w.columns, nnz: w.nnz, n: problem.m,
            enumerated: result.prune.survivors.count + result.prune.removed.count,
            candidates: result.prune.survivors.count, measured: result.trials.count - result.recalled,
            recalled: result.recalled, chosen: result.config.description, seconds: result.best.seconds ?? 0,
            defaultConfig: defaultConfig?.description,
            defaultSeconds: defaultConfig.flatMap { config in result.trials.first { $0.config == config }?.seconds },
            searchSeconds: result.timing.total, compileSeconds: result.timing.prepare + result.compileSeconds,
            measureSeconds: result.timing.measure, stop: result.stop)
    }
}
