import CUDA
import KernelGen
import Runtime
import SparseFormats
import Testing

@testable import Bench

/// The GPU sparse attention op's host side (view strides, the self-test's cases, rendering every
/// config for them) without a GPU; with one, the self-test's attention section must pass.
@Suite("GPU sparse attention")
struct AttentionGPUTests {
    func stride(_ spelling: String, _ length: Int) throws -> Int {
        GPUSparseAttention.viewStride(try ACSR(try AttentionPattern(parsing: spelling), length: length))
    }

    @Test func viewStrideIsTheLargestResidueEveryKeyKeeps() throws {
        #expect(try stride("window:256", 4096) == 1)
        #expect(try stride("dilated:256:4", 4096) == 4)
        #expect(try stride("dilated:9:3", 200) == 3)
        #expect(try stride("dilated:8:6+dilated:8:4", 300) == 2)  // gcd of the two strides
        #expect(try stride("global:16+window:256", 4096) == 1)
        #expect(try stride("window:0", 50) == 1)  // every key is its query: gcd 0 -> 1
        #expect(try stride("causal:0", 50) == 1)  // no key at all
        #expect(try stride("dilated:2:7", 5) == 1)  // the stride never shows: rows of one key
    }

    @Test func selfTestCasesCoverTheAwkwardShapesAndRenderForEveryConfig() throws {
        let cases = try AttentionSelfTestCase.all()
        #expect(Set(cases.map(\.headSize)) == Set(AttentionProblem.headSizes))
        #expect(cases.contains { $0.pattern.rowLength.contains(0) && $0.pattern.rowLength.contains { $0 > 0 } })
        #expect(cases.contains { $0.pattern.nnz == 0 })
        #expect(cases.contains { $0.pattern.rowLength.contains(1) })
        #expect(cases.contains { GPUSparseAttention.viewStride($0.pattern) > 1 })
        #expect(cases.allSatisfy { $0.pattern.length % 64 != 0 })
        for c in cases {
            let problem = try AttentionProblem(headSize: c.headSize, elementType: .bf16, device: .sm90)
            let shape = try AttentionShape(
                length: c.pattern.length, batchHeads: c.batchHeads, segmentsPerRow: c.pattern.segmentsPerRow,
                viewStride: GPUSparseAttention.viewStride(c.pattern), nnz: c.pattern.nnz)
            for config in AttentionConfig.all {
                let sources = config.variant == .unfused
                    ? try AttentionKernels.unfused(problem, shape, config) : [try AttentionKernels.fused(problem, shape, config)]
                #expect(sources.allSatisfy { $0.grid.x >= 1 && $0.grid.y == c.batchHeads })
            }
        }
    }

    @Test(.enabled(if: CUDAEnvironment.gpuUnavailableReason == nil, "needs a GPU (sparrow selftest --attention-only runs it there)"))
    func selfTestSectionPassesOnAGPU() throws {
        let results = GPUSelfTest(device: try GPUDevice(), attentionOnly: true).attentionChecks()
        for result in results { #expect(result.status == .passed, "\(result.name): \(result.detail)") }
    }
}
