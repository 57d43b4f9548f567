/// A dense row-major matrix.
public struct DenseMatrix<Element: SparseElement>: Sendable, Hashable {
    public let rows: Int
    public let columns: Int
    /// Row-major storage, `rows * columns` elements.
    public var storage: [Element]

    public init(rows: Int, columns: Int, storage: [Element]) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        guard storage.count == rows * columns else {
            throw .denseSizeMismatch(rows: rows, columns: columns, count: storage.count)
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix of zeros.
    public init(zeros rows: Int, _ columns: Int) throws(SparseFormatError) {
        try checkIndexable(rows, "rows")
        try checkIndexable(columns, "columns")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: .zero, count: rows * columns)
    }

    public subscript(row: Int, column: Int) -> Element {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    public var shape: [Int] { [rows, columns] }

    /// The same matrix with every element converted (rounding to nearest even).
    public func converted<T: SparseElement>(to: T.Type = T.self) -> DenseMatrix<T> {
        DenseMatrix<T>(unchecked: rows, columns, storage.map { T($0.doubleValue) })
    }

    /// Internal initializer for sizes already known valid.
    @usableFromInline
    init(unchecked rows: Int, _ columns: Int, _ storage: [Element]) {
        precondition(storage.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }
}
