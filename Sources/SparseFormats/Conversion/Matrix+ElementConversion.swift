extension CSRMatrix {
    /// The same pattern with every value converted to `T`, rounding to nearest even.
    ///
    /// The pattern never changes: a value that rounds to zero (underflow) stays a stored
    /// entry, and one that overflows becomes an infinity.
    @inlinable
    public func converted<T: SparseElement>(to: T.Type = T.self) -> CSRMatrix<T> {
        CSRMatrix<T>(unchecked: rows, columns, rowOffsets, columnIndices, values.map { T($0.doubleValue) })
    }
}

extension BSRMatrix {
    /// The same blocks with every value converted to `T`, rounding to nearest even.
    @inlinable
    public func converted<T: SparseElement>(to: T.Type = T.self) -> BSRMatrix<T> {
        BSRMatrix<T>(
            unchecked: rows, columns, blockRows, blockColumns, rowOffsets, columnIndices,
            values.map { T($0.doubleValue) })
    }
}
