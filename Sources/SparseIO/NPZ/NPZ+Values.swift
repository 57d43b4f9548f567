import SparseFormats

// The typed halves of NPZ's sparse readers: each builder runs once per file with the
// values' element type (``ElementType/visit(_:)``), so its loops are specialised.

extension NPZ {
    /// The element type of a `data` member; `floatMember` admits only floating dtypes.
    static func valuesType(_ data: AnyDenseTensor) -> ElementType {
        guard let element = data.dtype.elementType else { preconditionFailure("floatMember admitted \(data.dtype)") }
        return element
    }
}

/// COO coordinates and values as canonical CSR (``NPZ/cooToCSR(_:_:_:_:_:)``).
struct COOBuilder: ElementTypeVisitor {
    let rows: Int, columns: Int
    let rowIndex: [Int32], columnIndex: [Int32]
    let data: AnyDenseTensor

    func visit<T: SparseElement>(_: T.Type) throws(SparseFormatError) -> AnyCSRMatrix {
        AnyCSRMatrix(try NPZ.cooToCSR(rows, columns, rowIndex, columnIndex, data.values(as: T.self) ?? []))
    }
}

/// CSR (or CSC's transpose) arrays as canonical CSR (``NPZ/csr(_:_:_:_:_:)``).
struct CSRBuilder: ElementTypeVisitor {
    let rows: Int, columns: Int
    let indptr: [Int32], indices: [Int32]
    let data: AnyDenseTensor

    func visit<T: SparseElement>(_: T.Type) throws(SparseFormatError) -> AnyCSRMatrix {
        AnyCSRMatrix(try NPZ.csr(rows, columns, indptr, indices, data.values(as: T.self) ?? []))
    }
}

/// BSR arrays as a canonical BSR matrix.
struct BSRBuilder: ElementTypeVisitor {
    let rows: Int, columns: Int, blockRows: Int, blockColumns: Int
    let indptr: [Int32], indices: [Int32]
    let data: AnyDenseTensor

    func visit<T: SparseElement>(_: T.Type) throws(SparseFormatError) -> AnyBSRMatrix {
        AnyBSRMatrix(try BSRMatrix<T>.canonicalizing(
            rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns,
            rowOffsets: indptr, columnIndices: indices, values: data.values(as: T.self) ?? []))
    }
}
