import Foundation
import SparseFormats

extension AnyDenseTensor {
    /// The elements as `T` when the dtype is exactly `T`'s, else nil.
    public func values<T: SparseElement>(as: T.Type = T.self) -> [T]? {
        guard dtype == TensorDType(of: T.self) else { return nil }
        return AnyDenseTensor.decode(bytes, as: T.self)
    }

    /// The tensor as a matrix when it is 2-D and its dtype is exactly `T`'s, else nil.
    public func matrix<T: SparseElement>(as: T.Type = T.self) -> DenseMatrix<T>? {
        guard shape.count == 2, let storage = values(as: T.self) else { return nil }
        return try? DenseMatrix(rows: shape[0], columns: shape[1], storage: storage)
    }

    /// The tensor as a 2-D matrix of `T`, converting from any dtype (rounding to
    /// nearest even; integers and booleans become their values), or nil if not 2-D.
    public func convertedMatrix<T: SparseElement>(to: T.Type = T.self) -> DenseMatrix<T>? {
        guard shape.count == 2 else { return nil }
        if let exact = matrix(as: T.self) { return exact }
        return try? DenseMatrix(rows: shape[0], columns: shape[1], storage: doubles().map { T($0) })
    }

    /// Every element widened to Double (exact for all dtypes except i64 beyond 2^53).
    public func doubles() -> [Double] {
        if let element = dtype.elementType { return element.visit(DoublesDecoder(bytes: bytes)) }
        return switch dtype {
        case .i64: AnyDenseTensor.decode(bytes, as: Int64.self).map(Double.init)
        case .i32: AnyDenseTensor.decode(bytes, as: Int32.self).map(Double.init)
        case .i16: AnyDenseTensor.decode(bytes, as: Int16.self).map(Double.init)
        case .i8: AnyDenseTensor.decode(bytes, as: Int8.self).map(Double.init)
        case .u8: AnyDenseTensor.decode(bytes, as: UInt8.self).map(Double.init)
        case .bool: bytes.map { $0 != 0 ? 1 : 0 }
        case .f64, .f32, .f16, .bf16: preconditionFailure("floating dtype \(dtype) has an element type")
        }
    }

    /// Integer elements widened to Int, or nil if the dtype is not an integer or bool type.
    public func integers() -> [Int]? {
        switch dtype {
        case .i64: AnyDenseTensor.decode(bytes, as: Int64.self).map { Int($0) }
        case .i32: AnyDenseTensor.decode(bytes, as: Int32.self).map { Int($0) }
        case .i16: AnyDenseTensor.decode(bytes, as: Int16.self).map { Int($0) }
        case .i8: AnyDenseTensor.decode(bytes, as: Int8.self).map { Int($0) }
        case .u8: bytes.map { Int($0) }
        case .bool: bytes.map { $0 != 0 ? 1 : 0 }
        case .f64, .f32, .f16, .bf16: nil
        }
    }

    /// Copies little-endian bytes into an array of a trivially copyable type.
    /// `data.count` is a multiple of the stride by construction of the tensor.
    static func decode<T>(_ data: Data, as: T.Type) -> [T] {
        let count = data.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // The destination holds count * stride bytes and data.count >= that.
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            data.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * MemoryLayout<T>.stride)]))
            }
            initialized = count
        }
    }
}

/// Floating elements widened to Double, with the element type known (so the loop is specialised).
private struct DoublesDecoder: ElementTypeVisitor {
    let bytes: Data

    func visit<T: SparseElement>(_: T.Type) -> [Double] {
        let values = AnyDenseTensor.decode(bytes, as: T.self)
        // f64 needs no second pass (a no-op cast once specialised).
        return values as? [Double] ?? values.map(\.doubleValue)
    }
}
