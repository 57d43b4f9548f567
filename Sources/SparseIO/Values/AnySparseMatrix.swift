import SparseFormats

/// A sparse matrix read from or written to a file: CSR or BSR, any element type.
///
/// Match with nested patterns, e.g. `case .csr(.f32(let w))`.
public enum AnySparseMatrix: Sendable, Hashable {
    case csr(AnyCSRMatrix)
    case bsr(AnyBSRMatrix)

    public init<T: SparseElement>(_ matrix: CSRMatrix<T>) { self = .csr(AnyCSRMatrix(matrix)) }
    public init<T: SparseElement>(_ matrix: BSRMatrix<T>) { self = .bsr(AnyBSRMatrix(matrix)) }

    /// `"csr"` or `"bsr"`, as scipy's `format`.
    public var formatName: String {
        switch self {
        case .csr: "csr"
        case .bsr: "bsr"
        }
    }

    public var elementType: ElementType {
        switch self {
        case let .csr(m): m.elementType
        case let .bsr(m): m.elementType
        }
    }

    public var rows: Int {
        switch self {
        case let .csr(m): m.rows
        case let .bsr(m): m.rows
        }
    }

    public var columns: Int {
        switch self {
        case let .csr(m): m.columns
        case let .bsr(m): m.columns
        }
    }

    /// Stored elements (scipy's `nnz`; for BSR explicit zeros in blocks count).
    public var storedCount: Int {
        switch self {
        case let .csr(m): m.nnz
        case let .bsr(m): m.storedCount
        }
    }

    /// Every stored element as a (row, column, value) triple in storage order
    /// (row-major within each BSR block); what Matrix Market writes.
    public func coordinates() -> [(row: Int, column: Int, value: Double)] {
        switch self {
        case let .csr(m):
            let p = m.parts
            var out = [(row: Int, column: Int, value: Double)]()
            out.reserveCapacity(p.values.count)
            for row in 0..<p.rows {
                for position in Int(p.offsets[row])..<Int(p.offsets[row + 1]) {
                    out.append((row, Int(p.indices[position]), p.values[position]))
                }
            }
            return out
        case let .bsr(m):
            let p = m.parts
            let blockSize = p.blockRows * p.blockColumns
            var out = [(row: Int, column: Int, value: Double)]()
            out.reserveCapacity(p.values.count)
            for blockRow in 0..<(p.offsets.count - 1) {
                for block in Int(p.offsets[blockRow])..<Int(p.offsets[blockRow + 1]) {
                    for e in 0..<blockSize {
                        out.append((blockRow * p.blockRows + e / p.blockColumns,
                                    Int(p.indices[block]) * p.blockColumns + e % p.blockColumns,
                                    p.values[block * blockSize + e]))
                    }
                }
            }
            return out
        }
    }
}
