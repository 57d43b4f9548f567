/// A small, fast, seedable random number generator (SplitMix64, Steele, Lea and Flood 2014).
///
/// Sparrow uses it wherever results must repeat from run to run: values of DLMC
/// matrices (which store no values), X operands in benchmarks, property tests.
/// The sequence for a seed is fixed forever: changing it changes every benchmark.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A Float uniformly distributed on the 2^24 grid of [-1, 1): the top 24 bits of
    /// one draw, scaled. Exactly representable in Float32 (and in Float16/BF16 after
    /// rounding), so every precision sees the same source values.
    public mutating func nextSignedUnitFloat() -> Float {
        let bits = next() >> 40  // 24 bits
        return Float(bits) * (2.0 / 16_777_216.0) - 1.0
    }

    /// `count` values from ``nextSignedUnitFloat()``, converted to `T`.
    public mutating func signedUnitValues<T: SparseElement>(_ count: Int, as: T.Type = T.self) -> [T] {
        (0..<count).map { _ in T(nextSignedUnitFloat()) }
    }
}

extension SeededGenerator {
    /// A generator seeded by a label (`"rn50/0.9/layer1/256"`): FNV-1a 64 of its UTF-8 bytes.
    /// The one way Sparrow derives a seed from what it is for, so a benchmark problem, a
    /// synthetic matrix or a self-test shape gets the same operands in every run and process.
    public init(label: String) {
        var hash = FNV1a64()
        hash.add(label)
        self.init(seed: hash.state)
    }
}
