import KernelGen
import SparseFormats

extension SpMMSpace {
    /// The row-order section: each config of `configs` that takes the knob (simple, tiled,
    /// X-tiled) again under every non-identity order of ``rowOrders``, order by order, after all
    /// of them (so the identity configs keep their places and ranking ties go to them). None
    /// where the problem's operands already carry a row order (the knob would conflict).
    func rowOrderTwins(of configs: [SpMMConfig], for problem: SpMMProblem) -> [SpMMConfig] {
        guard problem.rowOrdering == .identity else { return [] }
        return rowOrders.filter { $0 != .identity }.flatMap { ordering in
            configs.compactMap { $0.rowOrder == .identity ? $0.withRowOrder(ordering) : nil }
        }
    }
}
