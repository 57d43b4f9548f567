import KernelGen
import SparseFormats

/// The row-order knob in a top-k search: neither model sees what an order saves (the hand model
/// charges only the permutation read; the shipped learned model was trained before the knob), so
/// a ranking alone would never measure it. This strategy takes `base`'s plan and appends, after
/// its shortlist, the surviving reordered twins (every non-identity order) of its first `count`
/// configs that take the knob: the orders are measured on the configs most likely to win.
///
/// Why 2: on the H200 (docs/perf/2026-11-30-h200-specialise) re-timing the 3 fastest configs under
/// the locality order found every win on the fastest or second fastest; each twin costs one trial.
package struct RowOrderTwins<Base: SearchStrategy>: SearchStrategy where Base.Problem == SpMMProblem, Base.Config == SpMMConfig {
    /// The strategy whose shortlist is extended.
    package let base: Base
    /// Configs of the shortlist whose twins are measured.
    package let count: Int

    package init(_ base: Base, count: Int = RowOrderTwinsDefault.count) {
        self.base = base
        self.count = max(0, count)
    }

    package var name: String { "\(base.name), then the row-order twins of its first \(count)" }

    package func plan(_ candidates: SearchCandidates<SpMMProblem, SpMMConfig>) -> SearchPlan<SpMMConfig> {
        let plan = base.plan(candidates)
        let alive = Set(candidates.survivors)
        let bases = plan.shortlist.filter { SpMMConfig.rowOrderFamilies.contains($0.family) && $0.rowOrder == .identity }
        var twins: [SpMMConfig] = []
        for config in bases.prefix(count) {
            for ordering in RowOrdering.allCases where ordering != .identity {
                if let twin = config.withRowOrder(ordering), alive.contains(twin), !plan.shortlist.contains(twin) { twins.append(twin) }
            }
        }
        let listed = Set(twins)
        return SearchPlan(shortlist: plan.shortlist + twins, fallback: plan.fallback.filter { !listed.contains($0) })
    }
}

/// The default of ``RowOrderTwins/count`` (a generic type cannot hold a static stored property).
package enum RowOrderTwinsDefault {
    package static let count = 2
}

extension SearchStrategy where Problem == SpMMProblem, Config == SpMMConfig {
    /// This strategy's shortlist, then the row-order twins of its first `count` configs.
    package func withRowOrderTwins(count: Int = RowOrderTwinsDefault.count) -> RowOrderTwins<Self> {
        RowOrderTwins(self, count: count)
    }
}
