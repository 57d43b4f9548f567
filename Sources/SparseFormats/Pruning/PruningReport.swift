/// What a pruning asked for and what it did.
public struct PruningReport: Codable, Sendable, Hashable, CustomStringConvertible {
    public var pattern: PruningPattern
    /// The requested fraction of zeroed weights (for N:M, `1 - N/M`).
    public var requested: Double
    /// `pruned / total`; 0 for an empty matrix.
    public var achieved: Double
    /// Positions kept (they may hold zeros that were already there).
    public var kept: Int
    /// Elements of the matrix.
    public var total: Int

    public init(pattern: PruningPattern, requested: Double, kept: Int, total: Int) {
        precondition(kept >= 0 && kept <= total, "PruningReport: kept \(kept) outside 0...\(total)")
        self.pattern = pattern
        self.requested = requested
        self.kept = kept
        self.total = total
        achieved = total == 0 ? 0 : Double(total - kept) / Double(total)
    }

    /// Positions zeroed.
    public var pruned: Int { total - kept }

    public var description: String {
        "\(pattern) pruning: requested \(requested), achieved \(achieved) (kept \(kept) of \(total))"
    }
}
