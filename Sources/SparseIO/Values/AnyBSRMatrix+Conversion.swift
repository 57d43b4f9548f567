import SparseFormats

extension AnyBSRMatrix {
    /// The matrix with values converted to `T` (rounding to nearest even); same blocks.
    public func converted<T: SparseElement>(to: T.Type = T.self) -> BSRMatrix<T> {
        if let exact = typed(as: T.self) { return exact }
        let p = parts
        // The blocks are already valid and canonical; only the element type changes.
        do {
            return try BSRMatrix(
                rows: p.rows, columns: p.columns, blockRows: p.blockRows, blockColumns: p.blockColumns,
                rowOffsets: p.offsets, columnIndices: p.indices, values: p.values.map { T($0) })
        } catch {
            preconditionFailure("converting a valid BSR matrix failed: \(error)")
        }
    }
}
