import SparseFormats

extension PruningPattern {
    /// Why this pattern cannot prune a `rows x columns` matrix, or nil when it fits.
    package func misfit(rows: Int, columns: Int) -> String? {
        switch self {
        case .unstructured:
            return nil
        case let .block(r, c):
            guard rows % r != 0 || columns % c != 0 else { return nil }
            return "\(rows)x\(columns) is not divisible into \(r)x\(c) blocks"
        case let .nOfM(_, m):
            guard columns % m != 0 else { return nil }
            return "\(columns) columns are not a multiple of M = \(m)"
        }
    }
}
