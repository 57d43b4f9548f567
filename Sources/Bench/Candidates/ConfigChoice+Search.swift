import KernelGen
import Tuner

extension ConfigChoice {
    /// The search a `.search` or `.family` choice runs (nil for a fixed config): all of `space`
    /// with the portfolio and hand ranking, or one family's section: its measured winners
    /// (``MeasuredPortfolio/familyConfigs(_:among:)``) and the hand model's ranking, with the extras of that family.
    func search(in space: SpMMSpace) -> Search<SpMMSpace>? {
        switch self {
        case let .search(limit, extra):
            // A shortlist is followed by the row-order twins of its first configs (no model ranks the knob).
            let shortlist = PortfolioShortlist.strategy(limit: limit)
            if limit == Int.max { return Search(space: space, strategy: shortlist, extras: extra) }
            return Search(space: space, strategy: shortlist.withRowOrderTwins(), extras: extra)
        case let .family(family, limit, extra):
            let strategy = CustomStrategy<SpMMProblem, SpMMConfig>("measured + hand model, \(family.rawValue) family, \(limit) configs") {
                survivors, problem in
                // The family's measured winners that survive for this problem, then the hand ranking.
                var list = MeasuredPortfolio.familyConfigs(family, among: survivors)
                for config in DiversifiedRanking().ranked(survivors, for: problem, limit: limit) where !list.contains(config) {
                    list.append(config)
                }
                return list
            }
            let section = SpMMSpace(families: space.families.intersection([family]), rowOrders: space.rowOrders)
            return Search(space: section, strategy: strategy, extras: extra.filter { $0.family == family })
        case .fixed:
            return nil
        }
    }
}
