/// Ranks the survivors with a cost model and measures the best `k`; the rest of the ranking is
/// the fallback.
public struct RankedTopK<Problem, Config: Hashable>: SearchStrategy {
    /// The model that ranks.
    public let model: any CostModel<Problem, Config>
    /// How many to measure.
    public let k: Int

    /// The `k` best survivors by `model` (k below 1 is taken as 1: a search measures something).
    public init(_ model: some CostModel<Problem, Config>, k: Int) {
        self.model = model
        self.k = max(1, k)
    }

    public var name: String { "top\(k) by \(model.name)" }

    public func plan(_ candidates: SearchCandidates<Problem, Config>) -> SearchPlan<Config> {
        let ranked = model.rank(candidates.survivors, for: candidates.problem)
        return SearchPlan(shortlist: Array(ranked.prefix(k)), fallback: Array(ranked.dropFirst(k)))
    }
}

/// Measures every survivor, in enumeration order or ranked by a cost model (so a budget cuts
/// the least promising).
public struct Exhaustive<Problem, Config: Hashable>: SearchStrategy {
    /// The model that orders the survivors, if any.
    public let model: (any CostModel<Problem, Config>)?

    /// Every survivor in enumeration order.
    public init() {
        self.model = nil
    }

    /// Every survivor, ranked by `model`.
    public init(rankedBy model: some CostModel<Problem, Config>) {
        self.model = model
    }

    public var name: String { model.map { "exhaustive by \($0.name)" } ?? "exhaustive" }

    public func plan(_ candidates: SearchCandidates<Problem, Config>) -> SearchPlan<Config> {
        let order = model?.rank(candidates.survivors, for: candidates.problem) ?? candidates.survivors
        return SearchPlan(shortlist: order)
    }
}
