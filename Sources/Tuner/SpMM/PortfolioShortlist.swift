import KernelGen

/// Today's choosing strategy, before the search: the measured portfolio plus the hand model's
/// diversified ranking, timed in full by the caller, who keeps the fastest correct config.
package enum PortfolioShortlist {
    /// A config named by the caller that is not legal for the problem, with the rule it breaks.
    package typealias Rejected = (config: SpMMConfig, error: ConfigError)

    /// At most `limit` configs to time for `problem`: the legal configs of the measured
    /// portfolio (at most half of `limit`), then the ranking of the space (a diverse shortlist,
    /// best guess first) until `limit`. `Int.max` means the whole space: the ranking's first 32,
    /// then every other config in space order.
    ///
    /// `extra` configs (named by the user, for study) follow where they are legal for the
    /// problem and not already listed; the illegal ones come back in `rejected` with the rule
    /// each one breaks.
    package static func configs(
        for problem: SpMMProblem, limit: Int, extra: [SpMMConfig] = [], space: SpMMSpace = SpMMSpace(),
        ranking: DiversifiedRanking = DiversifiedRanking()
    ) -> (configs: [SpMMConfig], rejected: [Rejected]) {
        var list = shortlist(space.configs(for: problem), for: problem, limit: limit, ranking: ranking)
        var rejected: [Rejected] = []
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

    /// The shortlist of ``configs(for:limit:extra:space:ranking:)`` from the space's `members`
    /// (its survivors, in enumeration order), without extras.
    package static func shortlist(
        _ members: [SpMMConfig], for problem: SpMMProblem, limit: Int, ranking: DiversifiedRanking = DiversifiedRanking()
    ) -> [SpMMConfig] {
        if limit == Int.max {
            let ranked = ranking.ranked(members, for: problem, limit: 32)
            return ranked + members.filter { !ranked.contains($0) }
        }
        let limit = max(1, limit)
        // The portfolio's configs of the families in `members` (a space without a family gets none of its winners).
        let families = Set(members.map(\.family))
        var list = Array(MeasuredPortfolio.configs(for: problem).filter { families.contains($0.family) }.prefix(limit / 2))
        for config in ranking.ranked(members, for: problem, limit: limit) where list.count < limit {
            if !list.contains(config) { list.append(config) }
        }
        return list
    }

    /// This shortlist as a search strategy: the portfolio and the hand model's ranking, at most
    /// `limit` configs (`Int.max`: every survivor, the ranking's first 32 first). The search
    /// adds the user's extras after it and keeps going past it only if none is correct.
    package static func strategy(
        limit: Int, ranking: DiversifiedRanking = DiversifiedRanking()
    ) -> CustomStrategy<SpMMProblem, SpMMConfig> {
        let name = limit == Int.max ? "every config, hand-ranked first 32" : "portfolio + hand model, \(limit) configs"
        return CustomStrategy(name) { survivors, problem in
            shortlist(survivors, for: problem, limit: limit, ranking: ranking)
        }
    }
}
