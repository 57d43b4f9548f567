import Testing
@testable import SparseFormats

@Suite struct ElementConversionTests {
    func checkBF16(_ x: Float, _ note: Comment? = nil) {
        let expected = referenceBFloat16(Double(x))
        #expect(sameFloat(BFloat16(x).doubleValue, expected), note ?? "bf16(\(x)) bits \(x.bitPattern)")
    }

    func checkBF16(_ x: Double) {
        #expect(sameFloat(BFloat16(x).doubleValue, referenceBFloat16(x)), "bf16(Double \(x))")
    }

    func checkF16(_ x: Double) {
        #expect(sameFloat(Float16(x).doubleValue, referenceFloat16(x)), "f16(Double \(x))")
        let f = Float(x)
        #expect(sameFloat(Float16(f).doubleValue, referenceFloat16(Double(f))), "f16(Float \(f))")
    }

    @Test func bfloat16EdgeCases() {
        #expect(BFloat16(Float(1) + 0x1p-8).bitPattern == 0x3F80)   // tie, down to even
        #expect(BFloat16(Float(1) + 0x1p-8 + 0x1p-7).bitPattern == 0x3F82)  // tie, up to even
        #expect(BFloat16(Float(1) + 0x1p-8 + 0x1p-20).bitPattern == 0x3F81)  // above the tie
        #expect(BFloat16(Float(bitPattern: 0x0000_8000)).bitPattern == 0x0000)  // subnormal tie to 0
        #expect(BFloat16(Float(bitPattern: 0x0001_8000)).bitPattern == 0x0002)  // subnormal tie, to even
        #expect(BFloat16(Float(bitPattern: 0x0000_8001)).bitPattern == 0x0001)
        #expect(BFloat16(Float.greatestFiniteMagnitude).bitPattern == 0x7F80)  // overflow to +Inf
        #expect(BFloat16(Float(bitPattern: 0x7F7F_7FFF)).bitPattern == 0x7F7F)  // largest finite stays
        #expect(BFloat16(-Float.infinity).bitPattern == 0xFF80)
        #expect(BFloat16(Float(-0.0)).bitPattern == 0x8000)
        #expect(BFloat16(Float.nan).isNaN && !BFloat16(Float.nan).isFinite)
        // A signalling NaN whose payload lives only in the dropped bits must stay NaN.
        #expect(BFloat16(Float(bitPattern: 0x7F80_0001)).isNaN)
        #expect(BFloat16(Float(bitPattern: 0xFF80_0001)).bitPattern & 0x8000 == 0x8000)
        // From Double: no double rounding through Float.
        #expect(BFloat16(1.0 + 0x1p-8 + 0x1p-40).bitPattern == 0x3F81)
        #expect(BFloat16(1.0 + 0x1p-8).bitPattern == 0x3F80)
        #expect(BFloat16(0x1p-140).bitPattern == 0x0000)  // below half the smallest subnormal
        #expect(BFloat16(0x1p-134 + 0x1p-160).bitPattern == 0x0001)  // just above the tie
        #expect(BFloat16(1e300).bitPattern == 0x7F80 && BFloat16(-1e300).bitPattern == 0xFF80)
        #expect(BFloat16(Double.nan).isNaN)
        for x: Float in [1 + 0x1p-8, 0x1p-133, 3 * 0x1p-134, .greatestFiniteMagnitude, -65520, .leastNonzeroMagnitude] {
            checkBF16(x)
        }
    }

    @Test func float16EdgeCases() {
        #expect(Float16(1.0 + 0x1p-11) == 1)  // tie to even
        #expect(Float16(1.0 + 3 * 0x1p-11) == 1 + 0x1p-9)
        #expect(Float16(1.0 + 0x1p-11 + 0x1p-30) == 1 + 0x1p-10)  // no double rounding from Double
        #expect(Float16(65504.0) == 65504 && Float16(65519.99) == 65504)
        #expect(Float16(65520.0) == .infinity && Float16(-1e10) == -.infinity)
        #expect(Float16(0x1p-25) == 0 && Float16(3 * 0x1p-25) == 0x1p-23)  // subnormal ties
        #expect(Float16(Double.nan).isNaN)
        for x in [1.0 + 0x1p-11, 65520, 0x1p-25, 3 * 0x1p-25, -0.0, 0x1p-24, 1e-8] { checkF16(x) }
    }

    /// Random bit patterns over the whole range (NaN, Inf, subnormals included) against the
    /// independent reference rounding.
    @Test func randomBitPatternsMatchReference() {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<20_000 {
            let bits = generator.next()
            checkBF16(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
            // Doubles near the bf16/f16 ranges: random significand, exponent in [-160, 20].
            let exponent = Int(bits >> 56) % 181 - 160
            let x = Double(sign: bits & 1 == 0 ? .plus : .minus, exponent: exponent,
                           significand: 1 + Double(bits >> 12 & 0xF_FFFF_FFFF) * 0x1p-36)
            checkBF16(x)
            checkF16(x)
        }
    }

    @Test func matrixConversionsRoundEachValue() throws {
        let values: [Float] = [1 + 0x1p-8, -3.14159, 70000, 0x1p-30]
        let csr = try CSRMatrix(rows: 2, columns: 3, rowOffsets: [0, 3, 4], columnIndices: [0, 1, 2, 1], values: values)
        let bf = csr.converted(to: BFloat16.self)
        #expect(bf.rowOffsets == csr.rowOffsets && bf.columnIndices == csr.columnIndices)
        #expect(bf.values == values.map { BFloat16($0) })
        let half = csr.converted(to: Float16.self)
        #expect(half.values == values.map { Float16($0) })
        #expect(half.values[2] == .infinity && half.values[3] == 0 && half.nnz == 4)  // pattern unchanged
        let double = half.converted(to: Double.self)
        #expect(double.values == half.values.map { Double($0) })
        #expect(double.converted(to: Float16.self) == half)  // widening then narrowing is exact
        let bsr = try csr.bsr(blockRows: 1, blockColumns: 3)
        #expect(bsr.converted(to: BFloat16.self).values == bsr.values.map { BFloat16($0) })
        #expect(bsr.converted(to: BFloat16.self).converted(to: Float.self).dense() == bf.converted(to: Float.self).dense())
        let dense = csr.dense().converted(to: Float16.self)
        #expect(dense == half.dense())
        // Empty matrices convert to empty matrices.
        #expect(try CSRMatrix<Float>(zeros: 0, 3).converted(to: BFloat16.self).shape == [0, 3])
    }
}
