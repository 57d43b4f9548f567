import KernelGen
import SparseFormats
import Testing
import CUDA
import Runtime

@testable import Bench

@Suite struct ColdRotationTests {
    @Test func copiesTogetherExceedThreeL2s() {
        #expect(ColdRotation.copies(bytesPerCopy: 32 * 1024 * 1024, cold: true) == 6)
        #expect(ColdRotation.copies(bytesPerCopy: 500 * 1024 * 1024, cold: true) == 2)
        #expect(ColdRotation.copies(bytesPerCopy: 1000, cold: true) == ColdRotation.maximumCopies)
        #expect(ColdRotation.copies(bytesPerCopy: 32 * 1024 * 1024, cold: false) == 1)
    }

    @Test func weightBytesCountEachFormatsArrays() throws {
        var generator = SeededGenerator(seed: 3)
        let dense = try DenseMatrix(rows: 37, columns: 211, storage: generator.signedUnitValues(37 * 211, as: Float.self))
        let w = try dense.prunedCSR(.unstructured, sparsity: 0.93).matrix
        let delta = try DeltaCSRMatrix<Float>(csr: w)
        #expect(WeightBytes.delta4Entries(w) == delta.entries)
        #expect(delta.entries > w.nnz, "gaps above 16 columns at 0.93 need padding entries")
        let csr16 = CompactConfig(format: .csr16, warps: 8, vectorWidth: 8, unroll: 1, split: 1, blocksPerSM: 1, chunk: 4096)
        var deltaConfig = csr16
        deltaConfig.format = .delta4
        #expect(WeightBytes.of(.compact(csr16), w, elementBytes: 2) == Double(38 * 4 + w.nnz * 4))
        #expect(WeightBytes.of(.compact(deltaConfig), w, elementBytes: 2) == Double(38 * 4 + delta.entries * 2 + (delta.entries + 1) / 2))
        #expect(WeightBytes.of(.simpleCSR(), w, elementBytes: 2) == Double(38 * 4 + w.nnz * 6))
        let bitmap = try BitmapTiledMatrix<Float>(csr: w)
        let bitmapConfig = BitmapConfig(strips: 1, slices: 8, columns: 16, chunk: 4, stages: 3)
        #expect(WeightBytes.of(.bitmap(bitmapConfig), w, elementBytes: 2) == Double(bitmap.masks.count * 8 + bitmap.tileOffsets.count * 4 + w.nnz * 2))
        #expect(WeightBytes.dense(w, elementBytes: 2) == Double(37 * 211 * 2))
    }

    @Test func prunedSuitesHaveTheirShapesSparsitiesAndWidths() throws {
        var selection = SuiteSelection(sparsities: [0.9], widths: [128])
        selection.filter = "attn"
        let problems = try BenchSuite(name: .bertBase, selection: selection, data: nil).problems()
        #expect(problems.map(\.name) == ["bert-base/attn-768x768/0.9"])
        let w = try #require(problems.first).matrix
        #expect(w.rows == 768 && w.columns == 768 && w.nnz == 768 * 768 - Pruning.exactCount(0.9, of: 768 * 768))
        #expect(BenchSuite.llmShapes.map { [$0.rows, $0.columns] } == [[4096, 4096], [11008, 4096], [4096, 11008], [14336, 4096]])
        #expect(BenchSuiteName.llm.coldByDefault && !BenchSuiteName.bertBase.coldByDefault && !BenchSuiteName.llm.readsDLMC)
    }
}

/// Cold copies of Sparrow's bound kernels are device replicas of the first copy's operands
/// (``Runtime/DeviceOperands/replica()``): each must compute the same, correct Y.
@Suite struct ColdReplicaGPUTests {
    @Test(.enabled(if: CUDAEnvironment.gpuUnavailableReason == nil, "needs a GPU (sparrow selftest runs the kernels there)"))
    func everyColdCopyMatchesTheFloat64Reference() throws {
        let device = try GPUDevice()
        var generator = SeededGenerator(label: "cold replicas")
        let dense = try DenseMatrix(rows: 301, columns: 517, storage: generator.signedUnitValues(301 * 517, as: Float.self))
        let w = try dense.prunedCSR(.unstructured, sparsity: 0.8).matrix
        let m = 9
        let x: [Float] = generator.signedUnitValues(w.columns * m)
        let verifier = try Verifier(w: w, x: DenseMatrix(rows: w.columns, columns: m, storage: x))
        let problem = SpMMBenchProblem(name: "replicas", suite: "test", nominalSparsity: 0.8, matrix: w, m: m)
        for choice in [ConfigChoice.fixed(.simpleCSR()), .family(.bitmap, limit: 1), .family(.compact, limit: 1)] {
            let candidate = SparrowGPUCandidate(device: device, precision: .fp16, choice: choice, cold: true)
            try candidate.prepare(problem, x: x, verifier: verifier)
            #expect(candidate.coldCopies >= 2)
            #expect(Set(candidate.copies.map { $0.operands.values.address }).count == candidate.copies.count)
            for copy in candidate.copies {
                let verdict = verifier.check(try copy.checkedOutput(device: device), precision: .fp16)
                #expect(verdict.failure == nil, "\(copy.config.identifier): \(verdict.failure ?? "")")
            }
            candidate.release()
        }
    }
}
