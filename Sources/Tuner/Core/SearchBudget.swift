/// Limits on how much a search measures. Budgets stop the shortlist early, never the search for
/// a first correct candidate: while none is correct the search goes on, bounded by
/// ``Search/fallbackLimit``.
public struct SearchBudget: Sendable, Hashable, Codable {
    /// The most candidates to measure (recalled trials included), if limited.
    public var maxTrials: Int?
    /// The most seconds from the start of the search (pruning, planning, compiling and timing
    /// included), if limited.
    public var maxSeconds: Double?

    /// A budget of at most `maxTrials` trials and `maxSeconds` seconds (`nil`: no limit).
    public init(maxTrials: Int? = nil, maxSeconds: Double? = nil) {
        self.maxTrials = maxTrials
        self.maxSeconds = maxSeconds
    }

    /// No limit.
    public static let unlimited = SearchBudget()

    /// Why the budget is spent after `trials` trials and `elapsed` seconds, or `nil` if it is not.
    public func exhausted(trials: Int, elapsed: Double) -> StopReason? {
        if let maxTrials, trials >= maxTrials { return .trialBudget }
        if let maxSeconds, elapsed >= maxSeconds { return .timeBudget }
        return nil
    }
}

/// Why a search stopped measuring its shortlist.
public enum StopReason: String, Sendable, Hashable, Codable {
    /// It measured the whole shortlist.
    case completed
    /// ``SearchBudget/maxTrials`` was reached.
    case trialBudget
    /// ``SearchBudget/maxSeconds`` was reached.
    case timeBudget
}
