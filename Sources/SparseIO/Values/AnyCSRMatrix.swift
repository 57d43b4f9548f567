import SparseFormats

/// A CSR matrix of any supported element type.
public enum AnyCSRMatrix: Sendable, Hashable {
    case f64(CSRMatrix<Double>)
    case f32(CSRMatrix<Float>)
    case f16(CSRMatrix<Float16>)
    case bf16(CSRMatrix<BFloat16>)

    /// Wraps a typed matrix.
    public init<T: SparseElement>(_ matrix: CSRMatrix<T>) {
        switch matrix {
        case let m as CSRMatrix<Double>: self = .f64(m)
        case let m as CSRMatrix<Float>: self = .f32(m)
        case let m as CSRMatrix<Float16>: self = .f16(m)
        case let m as CSRMatrix<BFloat16>: self = .bf16(m)
        default: preconditionFailure("AnyCSRMatrix: unsupported element type \(T.self)")
        }
    }

    /// The typed matrix behind an existential: the one way from the cases to generic code,
    /// which takes it as `func f<M: CSRPayload>(_ m: M)` and reads `m.matrix`.
    var payload: any CSRPayload {
        switch self {
        case let .f64(m): m
        case let .f32(m): m
        case let .f16(m): m
        case let .bf16(m): m
        }
    }

    public var elementType: ElementType { payload.elementType }

    /// The matrix when its element type is exactly `T`, else nil.
    public func typed<T: SparseElement>(as: T.Type = T.self) -> CSRMatrix<T>? {
        payload.typed(as: T.self)
    }

    /// The matrix with values converted to `T` (rounding to nearest even); same pattern.
    public func converted<T: SparseElement>(to: T.Type = T.self) -> CSRMatrix<T> {
        typed(as: T.self) ?? payload.converted(to: T.self)
    }

    /// Shape and arrays, values widened to Double.
    var parts: (rows: Int, columns: Int, offsets: [Int32], indices: [Int32], values: [Double]) {
        let m = converted(to: Double.self)
        return (m.rows, m.columns, m.rowOffsets, m.columnIndices, m.values)
    }

    public var rows: Int { payload.rows }
    public var columns: Int { payload.columns }
    public var nnz: Int { payload.nnz }
}

/// A CSR matrix of some element type, for code generic over it (see ``AnyCSRMatrix/payload``).
protocol CSRPayload: Sendable {
    associatedtype Element: SparseElement
    var matrix: CSRMatrix<Element> { get }
}

extension CSRMatrix: CSRPayload {
    var matrix: CSRMatrix<Element> { self }
}

extension CSRPayload {
    var elementType: ElementType { Element.elementType }
    var rows: Int { matrix.rows }
    var columns: Int { matrix.columns }
    var nnz: Int { matrix.nnz }

    func typed<T: SparseElement>(as: T.Type) -> CSRMatrix<T>? {
        matrix as? CSRMatrix<T>
    }

    func converted<T: SparseElement>(to: T.Type) -> CSRMatrix<T> {
        matrix.converted(to: T.self)
    }
}
