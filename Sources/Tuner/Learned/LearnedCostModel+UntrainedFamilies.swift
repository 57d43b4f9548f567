import KernelGen

extension LearnedCostModel {
    /// The kernel families the shipped model's training table holds trials of (the CSR families:
    /// it was trained before the compact, bitmap, 2:4 and fragment-COO families existed).
    package static let trainedFamilies = SpMMSpace.csrFamilies
    /// Configs of each untrained family that rank ahead of every learned cost (the hand model's
    /// best ones), so a top-k search still measures the family.
    package static let untrainedFamilyReserve = 2

    /// Learned costs for the trained families' configs; for another family's configs, costs that
    /// keep its hand-model order: the first ``untrainedFamilyReserve`` before every learned cost,
    /// the rest after all of them. A score the model never learned for a family is not a cost to
    /// compare, so the family is neither trusted nor dropped.
    ///
    /// Reordered configs (the row-order knob set) under a model trained without the `row_order`
    /// feature get no learned cost either (it would be their identity twin's): they rank after
    /// every other config, in hand order, and a top-k search measures them through
    /// ``RowOrderTwins``.
    func costs(_ configs: [SpMMConfig], for problem: SpMMProblem, learned: (SpMMConfig) -> Double) -> [Double] {
        let unseenOrder = { (config: SpMMConfig) in config.rowOrder != .identity && !file.knowsRowOrder }
        var costs = configs.map { Self.trainedFamilies.contains($0.family) && !unseenOrder($0) ? learned($0) : Double.nan }
        let known = costs.filter { !$0.isNaN }
        let low = (known.min() ?? 0) - 1, high = (known.max() ?? 0) + 1
        let reordered = Set(configs.indices.filter { unseenOrder(configs[$0]) })
        let untrained = Dictionary(grouping: configs.indices.filter { costs[$0].isNaN && !reordered.contains($0) }) { configs[$0].family }
        for indices in untrained.values {
            let ordered = indices
                .map { (index: $0, hand: fallback.estimatedNanoseconds(configs[$0], for: problem)) }
                .sorted { ($0.hand, $0.index) < ($1.hand, $1.index) }
            for (rank, entry) in ordered.enumerated() {
                costs[entry.index] = rank < Self.untrainedFamilyReserve ? low - 1e-3 * Double(Self.untrainedFamilyReserve - rank) : high + Double(rank)
            }
        }
        // Reordered twins last of all, in hand order.
        let last = (costs.filter { !$0.isNaN }.max() ?? 0) + 1
        let twins = reordered.map { (index: $0, hand: fallback.estimatedNanoseconds(configs[$0], for: problem)) }
            .sorted { ($0.hand, $0.index) < ($1.hand, $1.index) }
        for (rank, entry) in twins.enumerated() { costs[entry.index] = last + Double(rank) }
        return costs
    }
}
