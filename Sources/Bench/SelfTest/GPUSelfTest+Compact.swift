import KernelGen
import Runtime
import SparseFormats
import Tuner

extension GPUSelfTest {
    /// The compact family on shapes its pruning rules would mostly remove from the space (few
    /// rows, short rows) and on LLM-like ones (chunked K, long rows, split rows, gaps longer than
    /// a 4-bit delta spans): a sample of legal configs covering every knob value, plus every
    /// survivor of the space for the LLM-like shapes, at f16, bf16 and f32.
    func compactChecks() -> [SelfTestResult] {
        let variants = [ElementType.f16, .bf16, .f32].map { Variant(type: $0, epilogue: .none, ordering: .identity, allConfigs: false) }
            + [Variant(type: .f16, epilogue: .biasReLU, ordering: .identity, allConfigs: false)]
        return familyChecks("compact", shapes: SelfTestShape.compact, variants: variants, sample: Self.compactSample)
    }

    /// Legal compact configs for `problem`: a cycle through every value of every knob (each one
    /// also double-buffered, with and without a cp.async ring, where that is legal), and the
    /// space's surviving compact configs.
    static func compactSample(_ problem: SpMMProblem) -> [SpMMConfig] {
        var list: [SpMMConfig] = []
        let chunks = [8, 256, 2048, 16384]
        var index = 0
        for format in CompactConfig.IndexFormat.allCases {
            for vector in CompactConfig.vectorWidths {
                for unroll in CompactConfig.unrolls {
                    index += 1
                    let config = CompactConfig(
                        format: format, warps: [1, 4, 8, 16, 32][index % 5], vectorWidth: vector, unroll: unroll,
                        split: format == .csr16 ? CompactConfig.splits[index % 4] : 1,
                        blocksPerSM: CompactConfig.blocksPerSMChoices[index % CompactConfig.blocksPerSMChoices.count], chunk: chunks[index % 4])
                    if (try? config.validate(for: problem)) != nil { list.append(.compact(config)) }
                    // Its double-buffered twin where one is legal: whole rows, all of K in one chunk.
                    let step = CompactConfig.chunkMultiple
                    var twin = config
                    (twin.doubleBuffered, twin.split, twin.chunk) = (true, 1, max(step, LaunchDimensions.blocks(problem.k, step) * step))
                    if (try? twin.validate(for: problem)) != nil { list.append(.compact(twin)) }
                    // And its twins with a cp.async ring.
                    for stages in CompactConfig.ringChoices where stages > 0 {
                        twin.ringStages = stages
                        if (try? twin.validate(for: problem)) != nil { list.append(.compact(twin)) }
                    }
                }
            }
        }
        for config in SpMMSpace().configs(for: problem) where config.family == .compact && !list.contains(config) {
            list.append(config)
        }
        return list
    }
}

extension SelfTestShape {
    /// Shapes for the compact family: few rows, one column, nnz = 0, K past several chunks with
    /// long and empty rows and a dense one, gaps longer than 16 columns (delta4 padding), m = 1,
    /// 3, 8, 16 and 32.
    package static func compact() throws -> [SelfTestShape] {
        var rng = SeededGenerator(label: "selftest/compact-shapes")
        func random(_ rows: Int, _ columns: Int, density: Double, denseRow: Int? = nil, emptyEvery: Int? = nil) throws -> CSRMatrix<Float> {
            try randomCSR(&rng, rows, columns, density: density, denseRow: denseRow, emptyEvery: emptyEvery)
        }
        return [
            SelfTestShape(name: "compact few rows 7x300 m=3", matrix: try random(7, 300, density: 0.4, emptyEvery: 4), m: 3),
            SelfTestShape(name: "compact one column 40x1 m=8", matrix: try random(40, 1, density: 0.5), m: 8),
            SelfTestShape(name: "compact nnz=0 16x16 m=1", matrix: try CSRMatrix<Float>(zeros: 16, 16), m: 1),
            SelfTestShape(name: "compact gaps 301x20011 m=1", matrix: try random(301, 20011, density: 0.02, denseRow: 5), m: 1),
            SelfTestShape(name: "compact llm-like 1031x9001 m=16", matrix: try random(1031, 9001, density: 0.3, denseRow: 77, emptyEvery: 101), m: 16),
            SelfTestShape(name: "compact wide 513x2050 m=32", matrix: try random(513, 2050, density: 0.5), m: 32),
        ]
    }

    /// A random `rows x columns` pattern of about `density`, with every `emptyEvery`-th row empty
    /// and row `denseRow` full; values uniform in [-1, 1).
    static func randomCSR(
        _ rng: inout SeededGenerator, _ rows: Int, _ columns: Int, density: Double, denseRow: Int? = nil, emptyEvery: Int? = nil
    ) throws -> CSRMatrix<Float> {
        var offsets: [Int32] = [0], indices: [Int32] = [], values: [Float] = []
        for r in 0..<rows {
            if emptyEvery.map({ r % $0 == 0 }) != true {
                for c in 0..<columns {
                    let u = Double(rng.next() >> 11) / Double(1 << 53)
                    if u < density || r == denseRow {
                        indices.append(Int32(c))
                        values.append(rng.nextSignedUnitFloat())
                    }
                }
            }
            offsets.append(Int32(indices.count))
        }
        return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
    }
}
