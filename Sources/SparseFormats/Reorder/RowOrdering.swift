/// Which order of a matrix's rows a kernel runs them in: the knob's values, each computed from
/// the matrix by ``rowOrder(for:)`` (the permutation itself is a ``RowOrder``).
///
/// The GPU kernels apply the permutation when they pick a row and undo it in the store; the CPU
/// plan stores W's rows in the order and writes each result row at its original place. Either
/// way no pass moves X or Y.
public enum RowOrdering: String, Sendable, Hashable, Codable, CaseIterable {
    /// Slot `i` computes row `i`; no permutation.
    case identity
    /// Slot `i` computes row `rowOrder[i]`, a permutation that lists the longest rows first
    /// (Sputnik's row swizzle: blocks of similar work are scheduled together, longest first).
    case byLengthDescending = "by_length_desc"
    /// Slot `i` computes row `rowOrder[i]`, a permutation that places rows sharing columns next
    /// to each other (``RowOrder/locality(_:groupSize:window:)``, LO-SpMM's reordering): rows
    /// taken together read the same rows of X.
    case locality

    /// Rows taken together by the locality order's grouping: a block of the GPU's tiled kernels,
    /// consecutive rows of one CPU thread.
    public static let localityGroupSize = 4

    /// The permutation of `matrix`'s rows this ordering names (nil: identity, nothing to apply),
    /// the locality order grouping `groupSize` rows. Computed once when the operands are prepared.
    public func rowOrder<E: SparseElement>(for matrix: CSRMatrix<E>, groupSize: Int = localityGroupSize) -> RowOrder? {
        switch self {
        case .identity: nil
        case .byLengthDescending: RowOrder.byLengthDescending(matrix)
        case .locality: RowOrder.locality(matrix, groupSize: groupSize)
        }
    }
}
