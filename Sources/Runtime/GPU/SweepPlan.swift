import KernelGen

/// Which configurations the simple sweep times (until the tuner replaces it).
public enum SweepPlan {
    /// KernelGen's heuristic ranking (a diverse shortlist, best guess first), at most
    /// `limit` configs; `Int.max` means the whole space, in ranked order.
    public static func configs(for problem: SpMMProblem, limit: Int) -> [SpMMConfig] {
        if limit == Int.max {
            let ranked = KernelGen.rankedConfigs(for: problem, limit: 32)
            let rest = KernelGen.configSpace(for: problem).filter { !ranked.contains($0) }
            return ranked + rest
        }
        return KernelGen.rankedConfigs(for: problem, limit: max(1, limit))
    }
}
