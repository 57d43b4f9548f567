/// A scalar type that Sparrow stores in sparse and dense matrices.
///
/// Float32, Float64, Float16 and ``BFloat16`` conform. Arithmetic in Sparrow's
/// reference code always widens to `Double`; kernels widen to `Float`.
public protocol SparseElement: Sendable, Hashable, Codable {
    /// The type as a value; the inverse of ``ElementType/swiftType``.
    static var elementType: ElementType { get }
    /// The short name used in file formats and reports: `f32`, `f64`, `f16`, `bf16`.
    static var dtypeName: String { get }
    /// Bytes per element in memory and on disk.
    static var byteWidth: Int { get }
    static var zero: Self { get }
    /// Converts from Float32, rounding to nearest even where the type is narrower.
    init(_ value: Float)
    /// Converts from Float64, rounding to nearest even where the type is narrower.
    init(_ value: Double)
    var floatValue: Float { get }
    var doubleValue: Double { get }
    var isFinite: Bool { get }
}

extension SparseElement {
    /// ``ElementType``'s raw value, so the two spellings cannot drift apart.
    public static var dtypeName: String { elementType.rawValue }
    /// Every conforming type is stored unpadded, as files lay it out.
    public static var byteWidth: Int { MemoryLayout<Self>.size }
}

extension Float: SparseElement {
    public static var elementType: ElementType { .f32 }
    public var floatValue: Float { self }
    public var doubleValue: Double { Double(self) }
}

extension Double: SparseElement {
    public static var elementType: ElementType { .f64 }
    public var floatValue: Float { Float(self) }
    public var doubleValue: Double { self }
}

extension Float16: SparseElement {
    public static var elementType: ElementType { .f16 }
    public var floatValue: Float { Float(self) }
    public var doubleValue: Double { Double(self) }
}
