import Foundation
import SparseFormats

/// A dense tensor of any supported dtype and rank, as files store it.
///
/// The elements are `bytes`: little-endian, C (row-major) order, exactly
/// `dtype.byteWidth * product(shape)` bytes. Read from a file, `bytes` is usually a
/// slice of the memory-mapped file, so nothing is copied until a typed accessor
/// (``matrix(as:)``, ``values(as:)``, ``doubles()``) materialises elements.
public struct AnyDenseTensor: Sendable, Hashable {
    public let dtype: TensorDType
    /// Dimensions; `[]` for a 0-d scalar.
    public let shape: [Int]
    /// Little-endian C-order element bytes.
    public let bytes: Data

    /// Wraps bytes already known to match the shape; a mismatch is a programming error and traps.
    public init(dtype: TensorDType, shape: [Int], bytes: Data) {
        let count = AnyDenseTensor.elementCount(shape)
        precondition(count != nil, "AnyDenseTensor: shape \(shape) is negative or overflows")
        let (byteCount, overflow) = (count ?? 0).multipliedReportingOverflow(by: dtype.byteWidth)
        precondition(!overflow && byteCount == bytes.count,
                     "AnyDenseTensor: \(bytes.count) bytes for \(dtype) \(shape)")
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// The product of the shape (1 for a 0-d tensor).
    public var elementCount: Int { bytes.count / dtype.byteWidth }

    /// The product of `shape`, or nil if a dimension is negative or the product overflows.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var product = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }

    /// `dtype.byteWidth * product(shape)`, or nil on a negative dimension or overflow.
    public static func byteCount(dtype: TensorDType, shape: [Int]) -> Int? {
        guard let count = elementCount(shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteWidth)
        return overflow ? nil : bytes
    }
}

extension AnyDenseTensor {
    /// A tensor holding a dense matrix (shape `[rows, columns]`).
    public init<T: SparseElement>(_ matrix: DenseMatrix<T>) {
        self.init(dtype: TensorDType(of: T.self), shape: [matrix.rows, matrix.columns],
                  bytes: AnyDenseTensor.encode(matrix.storage))
    }

    /// A tensor of floating elements with any shape; `values.count` must equal the shape's product.
    public init<T: SparseElement>(shape: [Int], values: [T]) {
        self.init(dtype: TensorDType(of: T.self), shape: shape, bytes: AnyDenseTensor.encode(values))
    }

    /// A 1-d or other-shaped integer tensor (`.i32`).
    public init(shape: [Int], int32 values: [Int32]) {
        self.init(dtype: .i32, shape: shape, bytes: AnyDenseTensor.encode(values))
    }

    /// An integer tensor (`.i64`).
    public init(shape: [Int], int64 values: [Int64]) {
        self.init(dtype: .i64, shape: shape, bytes: AnyDenseTensor.encode(values))
    }

    /// A boolean tensor (`.bool`, one byte per element, 0 or 1).
    public init(shape: [Int], bools values: [Bool]) {
        self.init(dtype: .bool, shape: shape, bytes: Data(values.map { $0 ? 1 : 0 }))
    }

    /// The raw bytes of trivially copyable values, little-endian.
    static func encode<T>(_ values: [T]) -> Data {
        #if _endian(big)
        #error("SparseIO assumes a little-endian host")
        #endif
        return values.withUnsafeBytes { Data($0) }
    }
}
