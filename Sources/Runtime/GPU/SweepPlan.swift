import KernelGen

/// Which configurations the simple sweep times (until the tuner replaces it).
public enum SweepPlan {
    /// KernelGen's default first, then an even spread over the rest of the space
    /// (every k-th config, so every knob's values appear), at most `limit` in all.
    public static func configs(for problem: SpMMProblem, limit: Int) -> [SpMMConfig] {
        let space = KernelGen.configSpace(for: problem)
        let first = KernelGen.defaultConfig(for: problem)
        let rest = space.filter { $0 != first }
        guard limit > 1, !rest.isEmpty else { return [first] }
        let take = min(limit - 1, rest.count)
        let stride = Double(rest.count) / Double(take)
        let picked = (0..<take).map { rest[Int(Double($0) * stride)] }
        return [first] + picked
    }
}
