import KernelGen
import Tuner

extension ConfigChoice {
    /// The search a `.search` or `.family` choice runs (nil for a fixed config): the whole space
    /// with the portfolio and hand ranking, or one family's section ranked by the hand model only
    /// (the portfolio holds CSR configs), with the extras of that family.
    var search: Search<SpMMSpace>? {
        switch self {
        case let .search(limit, extra):
            return Search(space: SpMMSpace(), strategy: PortfolioShortlist.strategy(limit: limit), extras: extra)
        case let .family(family, limit, extra):
            let strategy = CustomStrategy<SpMMProblem, SpMMConfig>("hand model, \(family.rawValue) family, \(limit) configs") { survivors, problem in
                DiversifiedRanking().ranked(survivors, for: problem, limit: limit)
            }
            return Search(space: SpMMSpace(families: [family]), strategy: strategy, extras: extra.filter { $0.family == family })
        case .fixed:
            return nil
        }
    }
}
