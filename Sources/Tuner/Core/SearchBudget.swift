/// Limits on how much a search measures. Budgets stop the shortlist early, never the search for
/// a first correct candidate: while none is correct the search goes on, bounded by
/// ``Search/fallbackLimit``.
package struct SearchBudget: Sendable, Hashable, Codable {
    /// The most candidates to measure (recalled trials included), if limited.
    package var maxTrials: Int?
    /// The most seconds from the start of the search (pruning, planning, compiling and timing
    /// included), if limited.
    package var maxSeconds: Double?

    /// A budget of at most `maxTrials` trials and `maxSeconds` seconds (`nil`: no limit).
    package init(maxTrials: Int? = nil, maxSeconds: Double? = nil) {
        self.maxTrials = maxTrials
        self.maxSeconds = maxSeconds
    }

    /// No limit.
    package static let unlimited = SearchBudget()

    /// Why the budget is spent after `trials` trials and `elapsed` seconds, or `nil` if it is not.
    package func exhausted(trials: Int, elapsed: Double) -> StopReason? {
        if let maxTrials, trials >= maxTrials { return .trialBudget }
        if let maxSeconds, elapsed >= maxSeconds { return .timeBudget }
        return nil
    }
}

/// Why a search stopped measuring its shortlist.
package enum StopReason: String, Sendable, Hashable, Codable {
    /// It measured the whole shortlist.
    case completed
    /// ``SearchBudget/maxTrials`` was reached.
    case trialBudget
    /// ``SearchBudget/maxSeconds`` was reached.
    case timeBudget
}
