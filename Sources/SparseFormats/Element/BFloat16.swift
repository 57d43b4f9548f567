/// Brain floating point (1 sign, 8 exponent, 7 mantissa bits), as a storage type.
///
/// Sparrow never does arithmetic in bf16 on the CPU: values are widened to Float
/// (exactly) and narrowed back with round-to-nearest-even, as PyTorch and
/// safetensors do. NaN payloads are kept quiet (a NaN never rounds to infinity).
public struct BFloat16: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bitPattern: UInt16

    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    public init(_ value: Float) {
        let bits = value.bitPattern
        if value.isNaN {
            // Keep the sign and the top payload bits, force the quiet bit.
            bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040
            return
        }
        // Round to nearest, ties to even, on the 16 bits that are dropped.
        let lsb = (bits >> 16) & 1
        let rounded = bits &+ 0x7FFF &+ lsb
        bitPattern = UInt16(truncatingIfNeeded: rounded >> 16)
    }

    public init(_ value: Double) {
        // Double -> Float -> bf16 can double-round; go through Float only when exact
        // enough. Rounding Double to Float with round-to-odd avoids double rounding.
        self.init(BFloat16.roundToOddFloat(value))
    }

    public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }
    public var doubleValue: Double { Double(floatValue) }
    public var isFinite: Bool { (bitPattern & 0x7F80) != 0x7F80 }
    public var isNaN: Bool { (bitPattern & 0x7F80) == 0x7F80 && (bitPattern & 0x007F) != 0 }
    public var description: String { floatValue.description }

    /// Double to Float with round-to-odd: the result's last bit records inexactness,
    /// so a second rounding to a narrower type is correctly rounded.
    static func roundToOddFloat(_ value: Double) -> Float {
        let truncated = Float(value)  // round to nearest
        guard truncated.isFinite, !value.isNaN else { return truncated }
        if Double(truncated) == value { return truncated }
        // Pick the float toward zero from value, then set the sticky bit.
        var towardZero = truncated
        if abs(Double(truncated)) > abs(value) {
            towardZero = Float(bitPattern: truncated.bitPattern &- 1)
        }
        return Float(bitPattern: towardZero.bitPattern | 1)
    }
}

extension BFloat16: SparseElement {
    public static var elementType: ElementType { .bf16 }
    public static var zero: BFloat16 { BFloat16(bitPattern: 0) }
}
