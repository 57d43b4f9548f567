import KernelGen
import Runtime
import SparseFormats
import Tuner

extension GPUSelfTest {
    /// The bitmap tensor-core family on awkward shapes (rows and columns not multiples of 8 or 16,
    /// empty and full tiles, nnz = 0, K long enough for many ring steps and window refreshes, m = 1,
    /// 3, 8, 17, 64 and 130): a sample of legal configs covering every knob value plus the hand
    /// model's 8 best survivors of the space, at f16 and bf16, and f16 with bias + ReLU.
    func bitmapChecks() -> [SelfTestResult] {
        let variants = [ElementType.f16, .bf16].map { Variant(type: $0, epilogue: .none, ordering: .identity, allConfigs: false) }
            + [Variant(type: .f16, epilogue: .biasReLU, ordering: .identity, allConfigs: false)]
        return familyChecks("bitmap", shapes: SelfTestShape.bitmap, variants: variants, sample: Self.bitmapSample)
    }

    /// Legal bitmap configs for `problem` (``stripSliceSample(_:_:_:)``).
    static func bitmapSample(_ problem: SpMMProblem) -> [SpMMConfig] { stripSliceSample(BitmapConfig.self, SpMMConfig.bitmap, problem) }

    /// The fragment-COO tensor-core family on the bitmap family's shapes (the same awkward edges,
    /// empty blocks, nnz = 0, long K and widths), at f16 and bf16, and f16 with bias + ReLU.
    func fragmentCOOChecks() -> [SelfTestResult] {
        let variants = [ElementType.f16, .bf16].map { Variant(type: $0, epilogue: .none, ordering: .identity, allConfigs: false) }
            + [Variant(type: .f16, epilogue: .biasReLU, ordering: .identity, allConfigs: false)]
        return familyChecks("fragment-COO", shapes: SelfTestShape.bitmap, variants: variants) {
            Self.stripSliceSample(FragmentCOOConfig.self, SpMMConfig.fragmentCOO, $0)
        }
    }

    /// Legal configs of a strip/slice family for `problem`: 15 that cycle through every value of
    /// every knob (K splits over the grid included), and the hand model's 8 best survivors of the
    /// space's section of that family.
    static func stripSliceSample<C: StripSliceConfig>(_ type: C.Type, _ wrap: (C) -> SpMMConfig, _ problem: SpMMProblem) -> [SpMMConfig] {
        var list: [SpMMConfig] = []
        for index in 0..<15 {
            let config = C(
                strips: C.stripChoices[index % C.stripChoices.count], slices: C.sliceChoices[index % C.sliceChoices.count],
                columns: C.columnChoices[index % C.columnChoices.count], chunk: C.chunkChoices[(index / 3) % C.chunkChoices.count],
                stages: C.stageChoices[(index / 5) % C.stageChoices.count], splits: C.splitChoices[index % C.splitChoices.count])
            if (try? config.validate(for: problem)) != nil { list.append(wrap(config)) }
        }
        let family = wrap(C(strips: 1, slices: 1, columns: 8, chunk: 2, stages: 2, splits: 1)).family
        let survivors = SpMMSpace().configs(for: problem).filter { $0.family == family }
        for config in DiversifiedRanking().ranked(survivors, for: problem, limit: 8) where !list.contains(config) {
            list.append(config)
        }
        return list
    }
}

extension SelfTestShape {
    /// Shapes for the bitmap family: a 16 x 16 dense block, rows and columns off the 8 and 16 grid,
    /// nnz = 0, sparse patterns with many empty tiles and a full row, a long K (hundreds of ring
    /// steps), and m = 1, 3, 8, 17, 64 and 130 (X staged as a tile for m a multiple of 8, as
    /// whole rows otherwise).
    package static func bitmap() throws -> [SelfTestShape] {
        var rng = SeededGenerator(label: "selftest/bitmap-shapes")
        func random(_ rows: Int, _ columns: Int, density: Double, denseRow: Int? = nil, emptyEvery: Int? = nil) throws -> CSRMatrix<Float> {
            try randomCSR(&rng, rows, columns, density: density, denseRow: denseRow, emptyEvery: emptyEvery)
        }
        return [
            SelfTestShape(name: "bitmap dense 16x16 m=3", matrix: try random(16, 16, density: 1), m: 3),
            SelfTestShape(name: "bitmap off-grid 37x45 m=1", matrix: try random(37, 45, density: 0.5, denseRow: 36, emptyEvery: 5), m: 1),
            SelfTestShape(name: "bitmap nnz=0 20x40 m=8", matrix: try CSRMatrix<Float>(zeros: 20, 40), m: 8),
            SelfTestShape(name: "bitmap empty tiles 203x517 m=17", matrix: try random(203, 517, density: 0.01, denseRow: 100), m: 17),
            SelfTestShape(name: "bitmap long K 67x20011 m=8", matrix: try random(67, 20011, density: 0.05, denseRow: 3, emptyEvery: 9), m: 8),
            SelfTestShape(name: "bitmap llm-like 1031x4109 m=64", matrix: try random(1031, 4109, density: 0.3, denseRow: 77, emptyEvery: 101), m: 64),
            SelfTestShape(name: "bitmap wide 129x300 m=130", matrix: try random(129, 300, density: 0.5, emptyEvery: 7), m: 130),
        ]
    }
}
