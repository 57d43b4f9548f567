/// A scalar type that Sparrow stores in sparse and dense matrices.
///
/// Float32, Float64, Float16 and ``BFloat16`` conform. Arithmetic in Sparrow's
/// reference code always widens to `Double`; kernels widen to `Float`.
public protocol SparseElement: Sendable, Hashable, Codable {
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

extension Float: SparseElement {
    public static var dtypeName: String { "f32" }
    public static var byteWidth: Int { 4 }
    public var floatValue: Float { self }
    public var doubleValue: Double { Double(self) }
}

extension Double: SparseElement {
    public static var dtypeName: String { "f64" }
    public static var byteWidth: Int { 8 }
    public var floatValue: Float { Float(self) }
    public var doubleValue: Double { self }
}

extension Float16: SparseElement {
    public static var dtypeName: String { "f16" }
    public static var byteWidth: Int { 2 }
    public var floatValue: Float { Float(self) }
    public var doubleValue: Double { Double(self) }
}

/// The element types a file or a command line may name, as a value.
public enum ElementType: String, Sendable, Hashable, Codable, CaseIterable {
    case f64, f32, f16, bf16

    public var byteWidth: Int {
        switch self {
        case .f64: 8
        case .f32: 4
        case .f16, .bf16: 2
        }
    }
}
