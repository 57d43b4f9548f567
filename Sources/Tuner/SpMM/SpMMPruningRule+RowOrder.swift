import KernelGen
import SparseFormats

// Rules for the row-order knob: each removes a reordered config that runs exactly what its
// identity twin runs, plus a permutation read.
extension SpMMPruningRule {
    /// Every row-order rule, in order (part of ``standard``).
    package static let rowOrderRules: [SpMMPruningRule] = [lengthOrderOfEvenRows, rowOrderInOneBlock]

    /// The length order where every row has the same length.
    package static let lengthOrderOfEvenRows = SpMMPruningRule(
        "length-order-of-even-rows",
        reason: "with every row of the same length the longest-first order is the identity (ties keep their order): the twin only adds the permutation read",
        provenance: .algorithm("a stable sort of equal keys")) { config, problem in
        config.rowOrder == .byLengthDescending && problem.maxRowLength * problem.n == problem.nnz
    }

    /// Any row order where one block takes every row.
    package static let rowOrderInOneBlock = SpMMPruningRule(
        "row-order-in-one-block",
        reason: "when one block takes every row, an order only moves rows between its subwarps, which run together: the same work and reuse, plus the permutation read",
        provenance: .algorithm("rows are grouped by block")) { config, problem in
        config.rowOrder != .identity && config.rowsPerBlockForOrder >= problem.n
    }
}

extension SpMMConfig {
    /// Rows one block takes, for the row-order rules (families with the knob; others: 0).
    var rowsPerBlockForOrder: Int {
        switch self {
        case let .simple(config): config.rowsPerBlock
        case let .tiled(config): config.rowsPerBlock
        case let .xTile(config): config.rowsPerBlock
        case .compact, .specialised, .bitmap, .twoFour, .fragmentCOO: 0
        }
    }
}
