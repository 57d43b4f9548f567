/// A fixed list of configs (a measured portfolio, a user's list), keeping those legal for the
/// problem in the list's order; with `survivorsOnly`, also only those pruning kept.
package struct FixedList<Problem, Config: Hashable & Sendable>: SearchStrategy {
    /// The configs, in order.
    package let configs: [Config]
    /// Whether configs that pruning removed are dropped too.
    package let survivorsOnly: Bool
    package let name: String

    /// The legal ones of `configs`, in order.
    package init(_ configs: [Config], name: String = "fixed list", survivorsOnly: Bool = false) {
        self.configs = configs
        self.name = name
        self.survivorsOnly = survivorsOnly
    }

    package func plan(_ candidates: SearchCandidates<Problem, Config>) -> SearchPlan<Config> {
        let alive = survivorsOnly ? Set(candidates.survivors) : []
        let kept = configs.filter { candidates.isLegal($0) && (!survivorsOnly || alive.contains($0)) }
        return SearchPlan(shortlist: uniqued(kept))
    }
}

/// `first`'s shortlist, then `second`'s without the configs already listed; the fallbacks
/// likewise, without anything on the shortlist.
package struct ChainedStrategy<First: SearchStrategy, Second: SearchStrategy>: SearchStrategy
where First.Problem == Second.Problem, First.Config == Second.Config {
    /// The strategy listed first.
    package let first: First
    /// The strategy that fills in after it.
    package let second: Second

    package var name: String { "\(first.name), then \(second.name)" }

    package func plan(_ candidates: SearchCandidates<First.Problem, First.Config>) -> SearchPlan<First.Config> {
        let a = first.plan(candidates)
        let b = second.plan(candidates)
        let shortlist = uniqued(a.shortlist + b.shortlist)
        let listed = Set(shortlist)
        return SearchPlan(shortlist: shortlist, fallback: uniqued(a.fallback + b.fallback).filter { !listed.contains($0) })
    }
}

/// The first `limit` of `base`'s shortlist; the rest of it moves to the front of the fallback.
package struct LimitedStrategy<Base: SearchStrategy>: SearchStrategy {
    /// The strategy limited.
    package let base: Base
    /// The most configs on the shortlist.
    package let limit: Int

    package var name: String { "\(base.name), at most \(limit)" }

    package func plan(_ candidates: SearchCandidates<Base.Problem, Base.Config>) -> SearchPlan<Base.Config> {
        let plan = base.plan(candidates)
        let cut = max(0, limit)
        return SearchPlan(
            shortlist: Array(plan.shortlist.prefix(cut)),
            fallback: uniqued(Array(plan.shortlist.dropFirst(cut)) + plan.fallback))
    }
}

extension SearchStrategy {
    /// This strategy's shortlist, then `next`'s (without repeats).
    package func followed<Next: SearchStrategy>(by next: Next) -> ChainedStrategy<Self, Next>
    where Next.Problem == Problem, Next.Config == Config {
        ChainedStrategy(first: self, second: next)
    }

    /// At most `limit` configs of this strategy's shortlist.
    package func limited(to limit: Int) -> LimitedStrategy<Self> {
        LimitedStrategy(base: self, limit: limit)
    }
}

/// A strategy from a closure: for a shortlist computed by code that owns its own policy (a
/// diversified ranking, a portfolio whose length depends on the limit).
package struct CustomStrategy<Problem, Config: Hashable & Sendable>: SearchStrategy {
    package let name: String
    private let makePlan: @Sendable (SearchCandidates<Problem, Config>) -> SearchPlan<Config>

    /// A strategy named `name` that plans with `plan`.
    package init(_ name: String, plan: @escaping @Sendable (SearchCandidates<Problem, Config>) -> SearchPlan<Config>) {
        self.name = name
        self.makePlan = plan
    }

    /// A strategy named `name` whose shortlist is `shortlist(survivors, problem)` and whose
    /// fallback is the search's default (the unlisted survivors).
    package init(_ name: String, shortlist: @escaping @Sendable (_ survivors: [Config], _ problem: Problem) -> [Config]) {
        self.name = name
        self.makePlan = { SearchPlan(shortlist: shortlist($0.survivors, $0.problem)) }
    }

    package func plan(_ candidates: SearchCandidates<Problem, Config>) -> SearchPlan<Config> {
        makePlan(candidates)
    }
}
