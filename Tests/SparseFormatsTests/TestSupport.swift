@testable import SparseFormats

/// Random test matrices with awkward features: empty rows, a fully dense row, exact zeros,
/// repeated magnitudes (ties) and shapes that are multiples of nothing in particular.
struct RandomMatrices {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < p }

    /// A dense Float matrix of the given shape; about `density` of its elements are nonzero,
    /// one row (when there are rows) is fully dense, and values come from a small grid when
    /// `ties` is set, so equal magnitudes are common.
    mutating func dense(rows: Int, columns: Int, density: Double, ties: Bool = false) -> DenseMatrix<Float> {
        var storage = [Float](repeating: 0, count: rows * columns)
        let denseRow = rows > 0 ? int(0...(rows - 1)) : -1
        for r in 0..<rows {
            for c in 0..<columns where r == denseRow || chance(density) {
                var v = generator.nextSignedUnitFloat()
                if ties { v = Float(int(-4...4)) / 4 }
                if v == 0 { v = 0.5 }
                storage[r * columns + c] = v
            }
        }
        return try! DenseMatrix(rows: rows, columns: columns, storage: storage)
    }

    /// A dense matrix with a random shape in 0...maxSide on each side.
    mutating func anyDense(maxSide: Int = 13, ties: Bool = false) -> DenseMatrix<Float> {
        let rows = int(0...maxSide), columns = int(0...maxSide)
        return dense(rows: rows, columns: columns, density: Double(int(0...10)) / 10, ties: ties)
    }
}

/// Round-to-nearest-even of `x` to a binary format with `p` stored significand bits and
/// exponents `minExponent...maxExponent`, computed independently of the code under test:
/// scaling by powers of two is exact in Double, and Double's own `rounded(.toNearestOrEven)`
/// rounds the scaled significand.
func referenceRound(_ x: Double, significandBits p: Int, minExponent: Int, maxExponent: Int) -> Double {
    if x.isNaN || x.isInfinite || x == 0 { return x }
    let a = abs(x)
    let e = max(Int(a.exponent), minExponent)
    let ulp = Double(sign: .plus, exponent: e - p, significand: 1)
    var r = (a / ulp).rounded(.toNearestOrEven) * ulp
    if r >= Double(sign: .plus, exponent: maxExponent + 1, significand: 1) { r = .infinity }
    return x.sign == .minus ? -r : r
}

func referenceBFloat16(_ x: Double) -> Double { referenceRound(x, significandBits: 7, minExponent: -126, maxExponent: 127) }
func referenceFloat16(_ x: Double) -> Double { referenceRound(x, significandBits: 10, minExponent: -14, maxExponent: 15) }

/// Same value, same sign of zero, or both NaN.
func sameFloat(_ a: Double, _ b: Double) -> Bool {
    (a.isNaN && b.isNaN) || (a == b && a.sign == b.sign)
}
