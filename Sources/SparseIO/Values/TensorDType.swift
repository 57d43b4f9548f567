import SparseFormats

/// The element types a dense tensor read from a file may have.
///
/// Raw values are Sparrow's short names; ``safetensorsName`` and ``npyDescr``
/// give each format's spelling.
public enum TensorDType: String, Sendable, Hashable, Codable, CaseIterable {
    case f64, f32, f16, bf16, i64, i32, i16, i8, u8, bool

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .f64, .i64: 8
        case .f32, .i32: 4
        case .f16, .bf16, .i16: 2
        case .i8, .u8, .bool: 1
        }
    }

    /// The safetensors header name (`F32`, `BF16`, `BOOL`, ...).
    public var safetensorsName: String {
        switch self {
        case .f64: "F64"
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .i64: "I64"
        case .i32: "I32"
        case .i16: "I16"
        case .i8: "I8"
        case .u8: "U8"
        case .bool: "BOOL"
        }
    }

    /// The little-endian NumPy descr Sparrow reads and writes in `.npy`, or nil where
    /// `.npy` is not supported for this dtype (bf16, i16, i8, u8).
    public var npyDescr: String? {
        switch self {
        case .f64: "<f8"
        case .f32: "<f4"
        case .f16: "<f2"
        case .i64: "<i8"
        case .i32: "<i4"
        case .bool: "|b1"
        case .bf16, .i16, .i8, .u8: nil
        }
    }

    /// The matching floating element type, if this dtype is one (the inverse of ``init(_:)``).
    public var elementType: ElementType? {
        ElementType.allCases.first { TensorDType($0) == self }
    }

    /// The dtype that stores `element`.
    public init(_ element: ElementType) {
        switch element {
        case .f64: self = .f64
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        }
    }

    /// The dtype of a `SparseElement` type.
    public init<T: SparseElement>(of: T.Type) {
        self.init(T.elementType)
    }

    /// Looks up a safetensors dtype name.
    public init?(safetensorsName: String) {
        guard let match = TensorDType.allCases.first(where: { $0.safetensorsName == safetensorsName }) else { return nil }
        self = match
    }
}
