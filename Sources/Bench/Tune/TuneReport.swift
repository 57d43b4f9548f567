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
    package var problems: [TunedProblem]

    package var measured: Int { problems.reduce(0) { $0 + $1.measured } }
    package var recalled: Int { problems.reduce(0) { $0 + $1.recalled } }
}
