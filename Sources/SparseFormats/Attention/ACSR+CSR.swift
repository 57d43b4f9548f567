extension ACSR {
    /// The pattern as a CSR matrix (`length x length`), columns in ACSR's key order (increasing),
    /// storage position p holding `values[p]` (one value per stored pair, in sparse-position
    /// order: what an unfused SDDMM writes). Throws when nnz exceeds Int32 indexing or `values`
    /// has the wrong length.
    public func csr<Element: SparseElement>(values: [Element]) throws(SparseFormatError) -> CSRMatrix<Element> {
        try checkIndexable(nnz, "nnz")
        guard values.count == nnz else { throw .valueCount(expected: nnz, actual: values.count) }
        var columns: [Int32] = []
        columns.reserveCapacity(nnz)
        for i in 0..<length {
            for segment in segments(ofRow: i) {
                for t in 0..<segment.count { columns.append(Int32(segment.start + segment.stride * t)) }
            }
        }
        // rowOffset fits Int32 (nnz does); columns increase strictly within each row (validated).
        return CSRMatrix(unchecked: length, length, rowOffset.map { Int32($0) }, columns, values)
    }

    /// The pattern as a CSR matrix of ones.
    public func csrPattern() throws(SparseFormatError) -> CSRMatrix<Float> {
        try csr(values: [Float](repeating: 1, count: nnz))
    }
}
