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
                let plan = config.splits ? try AttentionSplitPlan(pattern: c.pattern, viewStride: shape.viewStride, config: config) : nil
                let sources = config.variant == .unfused
                    ? try AttentionKernels.unfused(problem, shape, config) : [try AttentionKernels.fused(problem, shape, config, plan: plan)]
                #expect(sources.allSatisfy { $0.grid.x >= 1 && $0.grid.y == c.batchHeads })
            }
        }
        // The split configs split: for every T and 64-key tiles some case's block is cut into
        // splits of unequal length, and a case with global rows also has rows of no key.
        for t in AttentionConfig.tensorCoreTilesPerSplit where t > 0 {
            let config = AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: t)
            let uneven = try cases.contains { c in
                let plan = try AttentionSplitPlan(pattern: c.pattern, viewStride: GPUSparseAttention.viewStride(c.pattern), config: config)
                return Dictionary(grouping: plan.items.filter { $0.group >= 0 }, by: \.group).values.contains { Set($0.map(\.tileCount)).count > 1 }
            }
            #expect(uneven, "T = \(t)")
        }
        #expect(cases.contains { $0.pattern.rowLength.contains(0) && $0.pattern.rowLength.contains(Int32($0.pattern.length)) })
    }

    @Test(.enabled(if: CUDAEnvironment.gpuUnavailableReason == nil, "needs a GPU (sparrow selftest --attention-only runs it there)"))
    func selfTestSectionPassesOnAGPU() throws {
        let results = GPUSelfTest(device: try GPUDevice(), attentionOnly: true).attentionChecks()
        for result in results { #expect(result.status == .passed, "\(result.name): \(result.detail)") }
    }
}

/// `sparrow bench attention`'s host side: the inputs both processes build, and the report.
@Suite("Attention bench")
struct AttentionBenchTests {
    /// Values of `scripts/torch-attention.py`'s `hashed_values(count, 7)` (computed with NumPy int64
    /// arithmetic, the same expression): both sides must build the same Q, K and V.
    @Test func inputsMatchThePythonSideBitForBit() {
        let values = AttentionInputs.values(count: 100_000, seed: 7)
        #expect(Array(values.prefix(4)) == [0.846877932548523, -0.7482690811157227, -0.6467580795288086, -0.36937272548675537])
        #expect(values[99_999] == 0.4122803211212158)
        #expect(values.min() == -0.9999713897705078 && values.max() == 0.9999816417694092)
        #expect(AttentionInputs.values(count: 3, seed: 8) != Array(values.prefix(3)))
    }

    @Test func markdownShowsSpeedupsAndFailures() {
        var report = AttentionBenchReport(
            command: "sparrow bench attention", date: "d", commit: "c", machine: "m", gpu: "g", batch: 1, heads: 16, warmup: 1,
            iterations: 5, sampledRows: 64, torch: "torch 2.11", baselineSkipped: nil)
        func t(_ name: String, _ ms: Double) -> AttentionBenchReport.Timing { AttentionBenchReport.Timing(name: name, ms: ms, spread: 1.1, tflops: 100) }
        report.rows = [
            AttentionBenchReport.Row(
                pattern: "window:256", length: 4096, headSize: 64, dtype: "f16", nnz: 4096 * 257, density: 0.06, segmentsPerRow: 1,
                viewStride: 1, sparrow: [t("tc.w4.k64.s2", 0.1), t("unfused.w4", 0.4)], fused: t("tc.w4.k64.s2", 0.1),
                unfused: t("unfused.w4", 0.4), baselines: [t("flex", 0.2), t("sdpa-mask", 1.0), t("sdpa-dense", 0.5)]),
        ]
        let row = report.rows[0]
        #expect(row.speedupVsFlex == 2 && row.speedupVsSDPAMask == 10 && row.fusedVsUnfused == 4)
        let text = report.markdown()
        #expect(text.contains("| window:256 | 4096 | 64 | f16 |") && text.contains("2.00x") && text.contains("10.00x"))
        #expect(text.contains("Every output checked out"))
        report.failures = ["x"]
        #expect(report.markdown().contains("CHECKS FAILED: x"))
    }
}
