import SparseFormats

/// A BSR matrix of any supported element type.
public enum AnyBSRMatrix: Sendable, Hashable {
    case f64(BSRMatrix<Double>)
    case f32(BSRMatrix<Float>)
    case f16(BSRMatrix<Float16>)
    case bf16(BSRMatrix<BFloat16>)

    /// Wraps a typed matrix.
    public init<T: SparseElement>(_ matrix: BSRMatrix<T>) {
        switch matrix {
        case let m as BSRMatrix<Double>: self = .f64(m)
        case let m as BSRMatrix<Float>: self = .f32(m)
        case let m as BSRMatrix<Float16>: self = .f16(m)
        case let m as BSRMatrix<BFloat16>: self = .bf16(m)
        default: preconditionFailure("AnyBSRMatrix: unsupported element type \(T.self)")
        }
    }

    /// The typed matrix behind an existential: the one way from the cases to generic code,
    /// which takes it as `func f<M: BSRPayload>(_ m: M)` and reads `m.matrix`.
    var payload: any BSRPayload {
        switch self {
        case let .f64(m): m
        case let .f32(m): m
        case let .f16(m): m
        case let .bf16(m): m
        }
    }

    public var elementType: ElementType { payload.elementType }

    /// The matrix when its element type is exactly `T`, else nil.
    public func typed<T: SparseElement>(as: T.Type = T.self) -> BSRMatrix<T>? {
        payload.typed(as: T.self)
    }

    /// The matrix with values converted to `T` (rounding to nearest even); same blocks.
    public func converted<T: SparseElement>(to: T.Type = T.self) -> BSRMatrix<T> {
        typed(as: T.self) ?? payload.converted(to: T.self)
    }

    var parts: (rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
                offsets: [Int32], indices: [Int32], values: [Double]) {
        let m = converted(to: Double.self)
        return (m.rows, m.columns, m.blockRows, m.blockColumns, m.rowOffsets, m.columnIndices, m.values)
    }

    public var rows: Int { payload.rows }
    public var columns: Int { payload.columns }
    public var blockShape: (rows: Int, columns: Int) { payload.blockShape }
    /// Stored elements, explicit zeros in blocks included (scipy's nnz).
    public var storedCount: Int { payload.storedCount }
}

/// A BSR matrix of some element type, for code generic over it (see ``AnyBSRMatrix/payload``).
protocol BSRPayload: Sendable {
    associatedtype Element: SparseElement
    var matrix: BSRMatrix<Element> { get }
}

extension BSRMatrix: BSRPayload {
    var matrix: BSRMatrix<Element> { self }
}

extension BSRPayload {
    var elementType: ElementType { Element.elementType }
    var rows: Int { matrix.rows }
    var columns: Int { matrix.columns }
    var blockShape: (rows: Int, columns: Int) { (matrix.blockRows, matrix.blockColumns) }
    var storedCount: Int { matrix.storedCount }

    func typed<T: SparseElement>(as: T.Type) -> BSRMatrix<T>? {
        matrix as? BSRMatrix<T>
    }

    func converted<T: SparseElement>(to: T.Type) -> BSRMatrix<T> {
        matrix.converted(to: T.self)
    }
}
