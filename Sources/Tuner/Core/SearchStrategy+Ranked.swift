/// Ranks the survivors with a cost model and measures the best `k`; the rest of the ranking is
/// the fallback.
package struct RankedTopK<Problem, Config: Hashable>: SearchStrategy {
    /// The model that ranks.
    package let model: any CostModel<Problem, Config>
    /// How many to measure.
    package let k: Int

    /// The `k` best survivors by `model` (k below 1 is taken as 1: a search measures something).
    package init(_ model: some CostModel<Problem, Config>, k: Int) {
        self.model = model
        self.k = max(1, k)
    }

    package var name: String { "top\(k) by \(model.name)" }

    package func plan(_ candidates: SearchCandidates<Problem, Config>) -> SearchPlan<Config> {
        let ranked = model.rank(candidates.survivors, for: candidates.problem)
        return SearchPlan(shortlist: Array(ranked.prefix(k)), fallback: Array(ranked.dropFirst(k)))
    }
}

/// Measures every survivor, in enumeration order or ranked by a cost model (so a budget cuts
/// the least promising).
package struct Exhaustive<Problem, Config: Hashable>: SearchStrategy {
    /// The model that orders the survivors, if any.
    package let model: (any CostModel<Problem, Config>)?

    /// Every survivor in enumeration order.
    package init() {
        self.model = nil
    }

    /// Every survivor, ranked by `model`.
    package init(rankedBy model: some CostModel<Problem, Config>) {
        self.model = model
    }

    package var name: String { model.map { "exhaustive by \($0.name)" } ?? "exhaustive" }

    package func plan(_ candidates: SearchCandidates<Problem, Config>) -> SearchPlan<Config> {
        let order = model?.rank(candidates.survivors, for: candidates.problem) ?? candidates.survivors
        return SearchPlan(shortlist: order)
    }
}
