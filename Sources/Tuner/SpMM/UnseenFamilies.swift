import KernelGen

/// Families the shipped learned model was not trained on (no trial of theirs was in its
/// training table): its cost for them is an extrapolation, so a learned top k could drop them
/// blindly. The learned ranking is therefore followed by the hand model's best survivor of each.
package enum UnseenFamilies {
    /// The families no shipped model has seen (`models/spmm-cost-model.json` was trained before them).
    package static let families: [SpMMConfig.Family] = [.specialised]

    /// The hand model's best survivor of each unseen family (none where the space holds none).
    package static func strategy(hand: HandCostModel = HandCostModel()) -> CustomStrategy<SpMMProblem, SpMMConfig> {
        CustomStrategy("then the hand model's best of the families the learned model has not seen") { survivors, problem in
            families.compactMap { family in hand.rank(survivors.filter { $0.family == family }, for: problem).first }
        }
    }
}
