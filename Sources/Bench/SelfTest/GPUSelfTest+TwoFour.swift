import KernelGen
import Runtime
import SparseFormats
import Tuner

extension GPUSelfTest {
    /// The 2:4 sparse tensor-core family on awkward 2:4 shapes (rows and columns off the 16 / 32
    /// grid, K not a multiple of 4, empty rows and all-zero tiles, nnz = 0, a long K, m = 1, 3, 8,
    /// 17, 64 and 130): a sample of legal configs covering every knob value plus the hand model's 8
    /// best survivors of the space, at f16 and bf16, and f16 with bias + ReLU.
    func twoFourChecks() -> [SelfTestResult] {
        let variants = [ElementType.f16, .bf16].map { Variant(type: $0, epilogue: .none, ordering: .identity, allConfigs: false) }
            + [Variant(type: .f16, epilogue: .biasReLU, ordering: .identity, allConfigs: false)]
        return familyChecks("2:4", shapes: SelfTestShape.twoFour, variants: variants, sample: Self.twoFourSample)
    }

    /// Legal 2:4 configs for `problem` (``stripSliceSample(_:_:_:)``).
    static func twoFourSample(_ problem: SpMMProblem) -> [SpMMConfig] { stripSliceSample(TwoFourConfig.self, SpMMConfig.twoFour, problem) }
}

extension SelfTestShape {
    /// Shapes for the 2:4 family, each pruned 2:4 by magnitude from seeded values (some then
    /// thinned further, so chunks hold 0, 1 or 2 entries): a 16 x 32 tile, rows and columns off
    /// the grid with K not a multiple of 4, nnz = 0, empty rows, a long K (hundreds of ring steps),
    /// and m = 1, 3, 8, 17, 64 and 130 (X staged as a tile for m a multiple of 8, as whole rows
    /// otherwise).
    package static func twoFour() throws -> [SelfTestShape] {
        var rng = SeededGenerator(label: "selftest/2:4-family")
        // Pruned over K rounded up to 4 (the pruner needs whole groups), then cut to K columns, with
        // the zeros of thinned and empty rows dropped.
        func pruned(_ rows: Int, _ columns: Int, keep: Double = 1, emptyEvery: Int? = nil) throws -> CSRMatrix<Float> {
            let padded = (columns + 3) / 4 * 4
            var values = rng.signedUnitValues(rows * padded, as: Float.self)
            for index in values.indices {
                let thinned = Double(rng.next() >> 11) / Double(1 << 53) >= keep
                if thinned || emptyEvery.map({ (index / padded) % $0 == 0 }) == true { values[index] = 0 }
            }
            let full = try DenseMatrix(rows: rows, columns: padded, storage: values).prunedCSR(.nOfM(n: 2, m: 4)).matrix
            var offsets: [Int32] = [0], indices: [Int32] = [], kept: [Float] = []
            for row in 0..<rows {
                for position in full.range(ofRow: row) where Int(full.columnIndices[position]) < columns && full.values[position] != 0 {
                    indices.append(full.columnIndices[position])
                    kept.append(full.values[position])
                }
                offsets.append(Int32(indices.count))
            }
            return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: kept)
        }
        return [
            SelfTestShape(name: "2:4 tile 16x32 m=3", matrix: try pruned(16, 32), m: 3),
            SelfTestShape(name: "2:4 off-grid 37x45 m=1", matrix: try pruned(37, 45, keep: 0.7, emptyEvery: 5), m: 1),
            SelfTestShape(name: "2:4 nnz=0 20x40 m=8", matrix: try CSRMatrix<Float>(zeros: 20, 40), m: 8),
            SelfTestShape(name: "2:4 thin 203x517 m=17", matrix: try pruned(203, 517, keep: 0.3, emptyEvery: 7), m: 17),
            SelfTestShape(name: "2:4 long K 67x20011 m=8", matrix: try pruned(67, 20011, keep: 0.9, emptyEvery: 9), m: 8),
            SelfTestShape(name: "2:4 llm-like 1031x4109 m=64", matrix: try pruned(1031, 4109), m: 64),
            SelfTestShape(name: "2:4 wide 129x300 m=130", matrix: try pruned(129, 300, keep: 0.8), m: 130),
        ]
    }
}
