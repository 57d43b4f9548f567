/// Estimates how long a config takes on a problem, to rank candidates before measuring.
///
/// Only the order of estimates matters to the search; lower is better. A hand (analytic) model
/// and a learned one are both cost models, so either can drive ``RankedTopK`` and they can be
/// compared on the same trials.
package protocol CostModel<Problem, Config>: Sendable {
    /// What is tuned for.
    associatedtype Problem
    /// One candidate.
    associatedtype Config

    /// A short name for reports (`"hand-h200"`, `"gbdt-2026-12"`).
    var name: String { get }

    /// The estimated cost of `config` on `problem` (seconds or any unit; lower is better;
    /// NaN ranks last).
    func estimate(_ config: Config, for problem: Problem) -> Double

    /// Estimates for many configs at once, in their order; a learned model overrides this to
    /// compute the problem's features once. Must return one estimate per config.
    func estimates(_ configs: [Config], for problem: Problem) -> [Double]
}

extension CostModel {
    package func estimates(_ configs: [Config], for problem: Problem) -> [Double] {
        configs.map { estimate($0, for: problem) }
    }

    /// `configs` from the lowest estimate to the highest; ties (and NaNs, which go last) keep
    /// the order of `configs`, so ranking enumeration-ordered survivors breaks ties by
    /// enumeration index.
    package func rank(_ configs: [Config], for problem: Problem) -> [Config] {
        let costs = estimates(configs, for: problem)
        precondition(costs.count == configs.count, "cost model \(name) returned \(costs.count) estimates for \(configs.count) configs")
        let keys = costs.map { $0.isNaN ? Double.infinity : $0 }
        let order = keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }
        return order.map { configs[$0] }
    }
}

/// A cost model from a closure (for tests, and for models that are one formula).
package struct ClosureCostModel<Problem, Config>: CostModel {
    package let name: String
    private let cost: @Sendable (Config, Problem) -> Double

    /// A model named `name` that estimates with `cost`.
    package init(_ name: String, cost: @escaping @Sendable (Config, Problem) -> Double) {
        self.name = name
        self.cost = cost
    }

    package func estimate(_ config: Config, for problem: Problem) -> Double {
        cost(config, problem)
    }
}
