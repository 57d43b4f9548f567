import Testing
import CUDA
import Runtime
import SparseFormats
@testable import Bench

/// cuSPARSELt as a baseline: when it runs (2:4 W, 16-bit), how it pads, and the `--pattern 2:4`
/// suites that feed it. The GPU case runs where a GPU is (`sparrow selftest --baselines-only`).
@Suite struct CuSPARSELtCandidateTests {
    static func dense(_ rows: Int, _ columns: Int, label: String) throws -> DenseMatrix<Float> {
        var generator = SeededGenerator(label: label)
        return try DenseMatrix(rows: rows, columns: columns, storage: generator.signedUnitValues(rows * columns, as: Float.self))
    }

    @Test func runsOnly2of4WeightsAt16Bit() throws {
        let w = try Self.dense(9, 24, label: "cusparselt/reason")
        let twoOfFour = try w.prunedCSR(.nOfM(n: 2, m: 4)).matrix
        #expect(CuSPARSELtCandidate.unsupportedReason(twoOfFour, precision: .fp16) == nil)
        #expect(CuSPARSELtCandidate.unsupportedReason(twoOfFour, precision: .bf16) == nil)
        #expect(CuSPARSELtCandidate.unsupportedReason(twoOfFour, precision: .fp32)?.contains("16-bit") == true)
        // Unstructured at the same sparsity is (almost surely) not 2:4 in every group.
        let unstructured = try w.prunedCSR(.unstructured, sparsity: 0.5).matrix
        #expect(CuSPARSELtCandidate.unsupportedReason(unstructured, precision: .fp16)?.contains("--pattern 2:4") == true)
        // 1:4 is 2:4 too (at most 2 of every 4).
        #expect(CuSPARSELtCandidate.unsupportedReason(try w.prunedCSR(.nOfM(n: 1, m: 4)).matrix, precision: .fp16) == nil)
    }

    @Test func padsEverySizeToAPositiveMultipleOf32WithZeros() {
        #expect(PreparedSparseLtMatmul.padding == 32)
        #expect([0, 1, 31, 32, 33, 4096, 11008].map(CuSPARSELtCandidate.padded) == [32, 32, 32, 32, 64, 4096, 11008])
        let padded = CuSPARSELtCandidate.zeroPadded([1, 2, 3, 4, 5, 6], rows: 2, columns: 3, paddedRows: 3, paddedColumns: 4)
        #expect(padded == [1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0, 0])
    }

    @Test func patternTwoOfFourPrunesEachShapeOnceToHalf() throws {
        var selection = SuiteSelection(widths: [1, 16], filter: "attn")
        selection.pattern = .nOfM(n: 2, m: 4)
        let problems = try BenchSuite(name: .bertBase, selection: selection, data: nil).problems()
        #expect(problems.map(\.name) == ["bert-base/attn-768x768/2:4", "bert-base/attn-768x768/2:4"])
        #expect(problems.map(\.m) == [1, 16])
        for problem in problems {
            #expect(problem.nominalSparsity == 0.5)
            #expect(problem.matrix.nnz == 768 * 768 / 2)
            #expect(problem.matrix.keepsAtMost(2, of: 4))
        }
        // Unstructured (the default) keeps its names and sparsities.
        let plain = try BenchSuite(name: .bertBase, selection: SuiteSelection(sparsities: [0.9], widths: [1], filter: "attn"), data: nil).problems()
        #expect(plain.map(\.name) == ["bert-base/attn-768x768/0.9"])
        #expect(!plain[0].matrix.keepsAtMost(2, of: 4))
    }

    @Test func patternIsRefusedWhereItPrunesNothingOrContradictsTheSparsity() throws {
        func job(_ suite: BenchSuiteName, _ pattern: PruningPattern, sparsities: [Double]? = nil) -> BenchJob {
            var selection = SuiteSelection(sparsities: sparsities)
            selection.pattern = pattern
            return BenchJob(suite: suite, selection: selection, data: nil, device: .cpu, dtype: .f32, sweep: false, sweepLimit: 1,
                            configs: [], skip: [], warmup: 1, iterations: 20, command: "test")
        }
        #expect(throws: BenchSetupError.self) { try job(.dlmcRN50, .nOfM(n: 2, m: 4)).checkPattern() }
        #expect(throws: BenchSetupError.self) { try job(.llm, .nOfM(n: 2, m: 4), sparsities: [0.7]).checkPattern() }
        try job(.llm, .nOfM(n: 2, m: 4), sparsities: [0.5]).checkPattern()
        try job(.bertBase, .block(rows: 4, columns: 4), sparsities: [0.9]).checkPattern()
        try job(.synthetic, .unstructured).checkPattern()
        var files = job(.llm, .nOfM(n: 2, m: 4))
        files.files = ["w.safetensors"]
        #expect(throws: BenchSetupError.self) { try files.checkPattern() }
    }

    @Test(.enabled(if: CUDAEnvironment.gpuUnavailableReason == nil, "needs a GPU (sparrow selftest --baselines-only runs it there)"))
    func matchesTheFloat64ReferenceOn2of4ShapesOrSaysWhyNot() throws {
        let device = try GPUDevice()
        let candidate = CuSPARSELtCandidate(device: device, precision: .fp16)
        let runner = BenchRunner(warmup: 1, iterations: 2, ceilings: MachineCeilings(peakFlops: 1, bandwidthBytesPerSecond: 1, source: "unused"))
        let loaded: Bool = if case .success = CUSPARSELtLibrary.shared { true } else { false }
        for shape in try SelfTestShape.twoOfFour() {
            let problem = SpMMBenchProblem(name: shape.name, suite: "test", nominalSparsity: 0.5, matrix: shape.matrix, m: shape.m)
            let result = runner.measure(candidate, problem, x: [Float](repeating: 0.5, count: shape.matrix.columns * shape.m),
                                        verifier: try Verifier(w: shape.matrix, x: DenseMatrix(rows: shape.matrix.columns, columns: shape.m,
                                                                                                storage: [Float](repeating: 0.5, count: shape.matrix.columns * shape.m))),
                                        floor: 1)
            candidate.release()
            if loaded {
                #expect(result.status == .ok, "\(shape.name): \(result.detail ?? "")")
                #expect(result.config?.hasPrefix("alg ") == true)
            } else {
                #expect(result.status == .skipped && result.detail?.contains("not loaded") == true)
            }
        }
    }
}
