import TuningStore

/// What a tuning database holds, for `sparrow tune --list`: totals, each measurement context,
/// and trials by family and status.
package struct TuneListing: Sendable, Hashable, Codable {
    /// Trials measured in one context (device, compute capability, driver, NVRTC, generator).
    package struct Context: Sendable, Hashable, Codable {
        package var device: String
        package var computeCapability: String
        package var driver: String
        package var nvrtc: String
        package var generator: Int
        package var trials: Int
        package var okTrials: Int
        package var problems: Int
        package var firstRecorded: String
        package var lastRecorded: String
    }

    /// Trials of one family that ended with one status.
    package struct Count: Sendable, Hashable, Codable {
        package var family: String
        package var status: String
        package var count: Int
    }

    /// The database file.
    package var database: String
    /// The corruption-recovery warning of opening it, if any.
    package var warning: String?
    package var trials: Int
    /// Distinct problems over every context.
    package var problems: Int
    package var contexts: [Context]
    /// By family, then status.
    package var counts: [Count]

    /// What `store` holds.
    package init(_ store: TuningStore) throws {
        let summary = try store.summary()
        database = store.path
        warning = store.warning
        trials = summary.trials
        problems = summary.problems
        contexts = summary.contexts.map {
            Context(
                device: $0.context.deviceName, computeCapability: $0.context.computeCapability,
                driver: $0.context.driverVersion, nvrtc: $0.context.nvrtcVersion, generator: $0.context.generatorVersion,
                trials: $0.trials, okTrials: $0.okTrials, problems: $0.problems, firstRecorded: $0.firstRecorded,
                lastRecorded: $0.lastRecorded)
        }
        counts = try store.statusCounts().map { Count(family: $0.family, status: $0.status.rawValue, count: $0.count) }
    }
}
