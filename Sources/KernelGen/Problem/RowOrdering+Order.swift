import SparseFormats

extension RowOrdering {
    /// Rows a block of the tiled kernels takes together, for the locality order's grouping.
    package static let localityGroupSize = 4

    /// The permutation the kernels read as `rowOrder` for `matrix` (nil: identity, no parameter).
    /// Computed once when the operands are prepared; the kernels apply it when they pick a row and
    /// undo it in the store (Y[row] is written at the original row), so no pass moves data.
    package func rowOrder<E: SparseElement>(for matrix: CSRMatrix<E>) -> RowOrder? {
        switch self {
        case .identity: nil
        case .byLengthDescending: RowOrder.byLengthDescending(matrix)
        case .locality: RowOrder.locality(matrix, groupSize: Self.localityGroupSize)
        }
    }
}
