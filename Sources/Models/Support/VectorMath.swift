/// Eight-lane `exp` and `erf` in Float32 for the encoder's softmax and GELU, where the C library's
/// one-value-a-call functions took a third of a forward pass. Plain multiplies and adds (no fused
/// multiply-add, which the portable build would emulate in software) and no rounding instructions
/// beyond SSE2.
enum VectorMath {
    /// `e^x`, within 2 ulp of the C library's `expf` on [-87, 88] (Cephes' `expf`: `x = n ln 2 + r`
    /// with `|r| <= ln 2 / 2`, a degree-6 polynomial for `e^r`, `2^n` built in the exponent bits);
    /// below -87 (where softmax's weights vanish) it returns about 1e-38 instead of a subnormal or 0.
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        var clamped = x
        clamped.replace(with: SIMD8(repeating: -87.3), where: x .< -87.3)
        clamped.replace(with: SIMD8(repeating: 88.3), where: x .> 88.3)
        // n = round(x / ln 2) by the 1.5 x 2^23 trick: the sum's low mantissa bits hold n (|n| < 2^22),
        // so neither a rounding instruction nor a conversion is needed.
        let magic = SIMD8<Float>(repeating: 12_582_912)
        let shifted = clamped * 1.44269504088896341 + magic
        let n = shifted - magic
        let r = clamped - n * 0.693359375 + n * 2.12194440e-4
        var p = SIMD8<Float>(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let er = p * (r * r) + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        return er * unsafeBitCast((integer &+ 127) &<< 23, to: SIMD8<Float>.self)
    }

    /// `erf(x)` within 1.5e-7 (Abramowitz and Stegun 7.1.26 with the exponential above), the
    /// rounding level of Float32 near 1.
    @inline(__always)
    static func erf(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let sign = unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x8000_0000
        let a = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
        let t = 1 / (a * 0.3275911 + 1)
        var p = SIMD8<Float>(repeating: 1.061405429)
        p = p * t - 1.453152027
        p = p * t + 1.421413741
        p = p * t - 0.284496736
        p = p * t + 0.254829592
        let magnitude = 1 - p * t * Self.exp(-(a * a))
        return unsafeBitCast(unsafeBitCast(magnitude, to: SIMD8<UInt32>.self) | sign, to: SIMD8<Float>.self)
    }
}
