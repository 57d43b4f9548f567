import KernelGen

/// Which configurations the simple sweep times (until the tuner replaces it).
public enum SweepPlan {
    /// KernelGen's measured portfolio (the configs that won most in recorded sweeps, at most
    /// half of `limit`) and its heuristic ranking (a diverse shortlist, best guess first), at
    /// most `limit` configs; `Int.max` means the whole space, in ranked order.
    /// `extra` configs (named by the user, for study) follow the ranked ones where they are
    /// valid for the problem and not already listed.
    public static func configs(for problem: SpMMProblem, limit: Int, extra: [SpMMConfig] = []) -> [SpMMConfig] {
        var list: [SpMMConfig]
        if limit == Int.max {
            let ranked = KernelGen.rankedConfigs(for: problem, limit: 32)
            let rest = KernelGen.configSpace(for: problem).filter { !ranked.contains($0) }
            list = ranked + rest
        } else {
            // KernelGen's measured portfolio (at most half the list), then the ranking's best guesses.
            list = Array(KernelGen.portfolio(for: problem).prefix(max(1, limit) / 2))
            for config in KernelGen.rankedConfigs(for: problem, limit: max(1, limit)) where list.count < max(1, limit) {
                if !list.contains(config) { list.append(config) }
            }
        }
        for config in extra where !list.contains(config) && (try? config.validate(for: problem)) != nil {
            list.append(config)
        }
        return list
    }
}
