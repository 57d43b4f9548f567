/// Q, K and V of `sparrow bench attention`, the same bits on both sides of the comparison:
/// Sparrow computes them here and `scripts/torch-attention.py` (`hashed_values`) on the device,
/// so no operand crosses the process boundary. Element `index` of operand `seed` is a 32-bit
/// hash mapped to a multiple of 2^-23 in [-1, 1) (exact in fp32; then rounded to the element
/// type by both sides, to nearest even).
package enum AttentionInputs {
    /// `count` values of operand `seed` (Q is seed s, K s + 1, V s + 2).
    package static func values(count: Int, seed: Int) -> [Float] {
        let salt = (UInt64(seed) &+ 1) &* 97531
        return (0..<count).map { index in
            var h = (UInt64(index) &* 2_654_435_761 &+ salt) & 0xFFFF_FFFF
            h ^= h >> 13
            h = (h &* 1_274_126_177) & 0xFFFF_FFFF
            h ^= h >> 16
            return Float((h >> 8) & 0xFF_FFFF) / 8_388_608 - 1
        }
    }
}
