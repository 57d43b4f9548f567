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

    public var elementType: ElementType {
        switch self {
        case .f64: .f64
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        }
    }

    /// The matrix when its element type is exactly `T`, else nil.
    public func typed<T: SparseElement>(as: T.Type = T.self) -> CSRMatrix<T>? {
        switch self {
        case let .f64(m): m as? CSRMatrix<T>
        case let .f32(m): m as? CSRMatrix<T>
        case let .f16(m): m as? CSRMatrix<T>
        case let .bf16(m): m as? CSRMatrix<T>
        }
    }

    /// The matrix with values converted to `T` (rounding to nearest even); same pattern.
    public func converted<T: SparseElement>(to: T.Type = T.self) -> CSRMatrix<T> {
        if let exact = typed(as: T.self) { return exact }
        let (rows, columns, offsets, indices, values) = parts
        // The pattern is already valid and canonical; only the element type changes.
        do {
            return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets,
                                 columnIndices: indices, values: values.map { T($0) })
        } catch {
            preconditionFailure("converting a valid CSR matrix failed: \(error)")
        }
    }

    /// Shape and arrays, values widened to Double.
    var parts: (rows: Int, columns: Int, offsets: [Int32], indices: [Int32], values: [Double]) {
        switch self {
        case let .f64(m): (m.rows, m.columns, m.rowOffsets, m.columnIndices, m.values)
        case let .f32(m): (m.rows, m.columns, m.rowOffsets, m.columnIndices, m.values.map(\.doubleValue))
        case let .f16(m): (m.rows, m.columns, m.rowOffsets, m.columnIndices, m.values.map(\.doubleValue))
        case let .bf16(m): (m.rows, m.columns, m.rowOffsets, m.columnIndices, m.values.map(\.doubleValue))
        }
    }

    public var rows: Int { dispatch { $0.rows } }
    public var columns: Int { dispatch { $0.columns } }
    public var nnz: Int { dispatch { $0.nnz } }

    func dispatch<R>(_ body: (any CSRShape) -> R) -> R {
        switch self {
        case let .f64(m): body(m)
        case let .f32(m): body(m)
        case let .f16(m): body(m)
        case let .bf16(m): body(m)
        }
    }
}

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

    public var elementType: ElementType {
        switch self {
        case .f64: .f64
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        }
    }

    /// The matrix when its element type is exactly `T`, else nil.
    public func typed<T: SparseElement>(as: T.Type = T.self) -> BSRMatrix<T>? {
        switch self {
        case let .f64(m): m as? BSRMatrix<T>
        case let .f32(m): m as? BSRMatrix<T>
        case let .f16(m): m as? BSRMatrix<T>
        case let .bf16(m): m as? BSRMatrix<T>
        }
    }

    var parts: (rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
                offsets: [Int32], indices: [Int32], values: [Double]) {
        switch self {
        case let .f64(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.rowOffsets, m.columnIndices, m.values)
        case let .f32(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.rowOffsets, m.columnIndices, m.values.map(\.doubleValue))
        case let .f16(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.rowOffsets, m.columnIndices, m.values.map(\.doubleValue))
        case let .bf16(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.rowOffsets, m.columnIndices, m.values.map(\.doubleValue))
        }
    }

    public var rows: Int { shape.rows }
    public var columns: Int { shape.columns }
    public var blockShape: (rows: Int, columns: Int) { (shape.blockRows, shape.blockColumns) }
    /// Stored elements, explicit zeros in blocks included (scipy's nnz).
    public var storedCount: Int { shape.stored }

    /// Sizes without touching the values.
    var shape: (rows: Int, columns: Int, blockRows: Int, blockColumns: Int, stored: Int) {
        switch self {
        case let .f64(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.storedCount)
        case let .f32(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.storedCount)
        case let .f16(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.storedCount)
        case let .bf16(m): (m.rows, m.columns, m.blockRows, m.blockColumns, m.storedCount)
        }
    }
}

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

/// The shape of a CSR matrix regardless of its element type.
protocol CSRShape {
    var rows: Int { get }
    var columns: Int { get }
    var nnz: Int { get }
}

extension CSRMatrix: CSRShape {}
