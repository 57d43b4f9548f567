import KernelGen

/// Which configurations the simple sweep times (until the tuner replaces it).
public enum SweepPlan {
    /// KernelGen's measured portfolio (the configs that won most in recorded sweeps, at most
    /// half of `limit`) and its heuristic ranking (a diverse shortlist, best guess first), at
    /// most `limit` configs; `Int.max` means the whole space, in ranked order.
    /// `extra` configs (named by the user, for study) follow where they are valid for the
    /// problem and not already listed; the invalid ones come back in `rejected` with the rule
    /// each one breaks.
    public static func plan(
        for problem: SpMMProblem, limit: Int, extra: [SpMMConfig] = []
    ) -> (configs: [SpMMConfig], rejected: [(config: SpMMConfig, error: ConfigError)]) {
        var list: [SpMMConfig]
        if limit == Int.max {
            let ranked = KernelGen.rankedConfigs(for: problem, limit: 32)
            list = ranked + KernelGen.configSpace(for: problem).filter { !ranked.contains($0) }
        } else {
            let limit = max(1, limit)
            list = Array(KernelGen.portfolio(for: problem).prefix(limit / 2))
            for config in KernelGen.rankedConfigs(for: problem, limit: limit) where list.count < limit {
                if !list.contains(config) { list.append(config) }
            }
        }
        var rejected: [(config: SpMMConfig, error: ConfigError)] = []
        for config in extra where !list.contains(config) {
            do {
                try config.validate(for: problem)
                list.append(config)
            } catch {
                rejected.append((config, error))
            }
        }
        return (list, rejected)
    }

    /// The configs of ``plan(for:limit:extra:)``.
    public static func configs(for problem: SpMMProblem, limit: Int, extra: [SpMMConfig] = []) -> [SpMMConfig] {
        plan(for: problem, limit: limit, extra: extra).configs
    }
}
