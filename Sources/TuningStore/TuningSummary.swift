import Tuner

/// How many trials of one family ended with one status.
package struct StatusCount: Sendable, Hashable {
    package var family: String
    package var status: TrialStatus.Kind
    package var count: Int
}

/// What the database holds, for `sparrow tune --list`.
package struct TuningSummary: Sendable, Hashable {
    /// Trials measured in one context.
    package struct Context: Sendable, Hashable {
        package var context: TuningContext
        package var trials: Int
        /// Trials that ended `ok`.
        package var okTrials: Int
        /// Distinct problems measured in this context.
        package var problems: Int
        /// The first and last ``StoredTrial/recordedAt``.
        package var firstRecorded: String
        package var lastRecorded: String
    }

    /// Every trial.
    package var trials: Int
    /// Distinct problems, over every context.
    package var problems: Int
    /// Each context (device, compute capability, driver, NVRTC, generator), in that order.
    package var contexts: [Context]
}
