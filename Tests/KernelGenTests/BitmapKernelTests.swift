import CUDA
import Foundation
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

let baseBitmap = BitmapConfig(strips: 1, slices: 8, columns: 16, chunk: 4, stages: 3)

@Suite struct BitmapConfigTests {
    @Test func idsRoundTripAndRejectMalformedOnes() throws {
        #expect(SpMMConfig.bitmap(baseBitmap).description == "bitmap.s1.j8.n16.c4.p3")
        #expect(try SpMMConfig(parsing: "bitmap.s2.j4.n64.c8.p4") == .bitmap(BitmapConfig(strips: 2, slices: 4, columns: 64, chunk: 8, stages: 4)))
        #expect(configError { _ = try SpMMConfig(parsing: "bitmap.s1.j8.n16.c4") } == .unparsable("bitmap.s1.j8.n16.c4"))
        #expect(configError { _ = try SpMMConfig(parsing: "bitmap.s1.j8.n16.c4.p3.x1") } == .unparsable("bitmap.s1.j8.n16.c4.p3.x1"))
    }

    @Test func layoutCoversStripsAndColumnTiles() throws {
        let problem = try llmProblem()
        // 4096 rows: 256 strips; m = 16 in one column tile; 8 warps.
        #expect(baseBitmap.gridDimensions(for: problem) == LaunchDimensions(x: 1, y: 256))
        #expect(baseBitmap.blockDimensions == LaunchDimensions(x: 256))
        // Per step: 8 warps x (4 x (32 + 512) + 16) B of W, 8 slices x 64 rows x 32 B of X.
        #expect(baseBitmap.sharedMemoryBytes(for: problem) == 3 * (8 * 2192 + 8 * 64 * 32))
        var wide = baseBitmap
        wide.strips = 2
        wide.columns = 64
        let prefill = try llmProblem(m: 130)
        // m = 130: three tiles of 64 columns, X staged as whole rows (130 is not a multiple of 8).
        #expect(wide.gridDimensions(for: prefill) == LaunchDimensions(x: 3, y: 128))
        #expect(!wide.stagesXAsTile(prefill) && wide.xStepBytes(prefill) == (64 * 130 * 2 + 32 + 15) / 16 * 16)
    }

    @Test func validationStatesEachRule() throws {
        let problem = try llmProblem()
        func error(_ change: (inout BitmapConfig) -> Void, _ on: SpMMProblem? = nil) -> ConfigError? {
            var config = baseBitmap
            change(&config)
            return configError { try config.validate(for: on ?? problem) }
        }
        #expect(error { _ in } == nil)
        #expect(error { $0.strips = 3 } == .unsupportedBitmapKnob(field: "strips", value: 3, allowed: [1, 2, 4]))
        #expect(error { $0.slices = 32 } == .unsupportedBitmapKnob(field: "slices", value: 32, allowed: [1, 2, 4, 8, 16]))
        #expect(error { $0.columns = 24 } == .unsupportedBitmapKnob(field: "columns", value: 24, allowed: [8, 16, 32, 64]))
        #expect(error { $0.chunk = 16 } == .unsupportedBitmapKnob(field: "chunk", value: 16, allowed: [2, 4, 8]))
        #expect(error { $0.stages = 5 } == .unsupportedBitmapKnob(field: "stages", value: 5, allowed: [2, 3, 4]))
        #expect(error { $0.strips = 4; $0.slices = 16 } == .tooManyThreads(threads: 2048, limit: 1024))
        #expect(error({ _ in }, try llmProblem(type: .f32)) == .bitmapNeedsHalfElements(.f32))
        var turing = DeviceLimits.sm90
        turing.computeCapability = ComputeCapability(major: 7, minor: 5)
        #expect(error({ _ in }, try llmProblem(device: turing)) == .asyncCopyNeedsSM80(ComputeCapability(major: 7, minor: 5)))
        let ordered = try makeProblem(n: 64, k: 512, m: 1, nnz: 6400, maxRowLength: 120, type: .f16, ordering: .byLengthDescending)
        #expect(error({ _ in }, ordered) == .bitmapNeedsIdentityRowOrder)
        // 16 warps, chunks of 8 blocks, 4 stages at m = 64: 4 x (16 x 4368 + 16 x 128 x 128) B.
        let big = 4 * (16 * 4368 + 16 * 128 * 128)
        #expect(error({ $0.slices = 16; $0.chunk = 8; $0.stages = 4; $0.columns = 64 }, try llmProblem(m: 64))
            == .sharedMemoryExceedsOptIn(bytes: big, limit: 227 * 1024))
    }

    @Test func renderNamesTheBitmapArraysAndItsDeskCheck() throws {
        let problem = try llmProblem(type: .bf16, epilogue: .biasReLU)
        let kernel = try KernelGen.render(problem, .bitmap(baseBitmap))
        #expect(kernel.parameters.map(\.role) == [.rows, .columnsOfX, .bitmapMasks, .bitmapOffsets, .bitmapValues, .x, .bias, .y])
        #expect(kernel.source.contains("const unsigned long long* __restrict__ bitmapMasks"))
        #expect(kernel.source.contains("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32"))
        #expect(kernel.source.contains("ldmatrix.sync.aligned.m8n8.x2.trans") && kernel.source.contains("#define kXTile 1"))
        #expect(kernel.source.hasPrefix("// spmm n=4096 k=11008 m=16") && kernel.source.contains("cfg=bitmap.s1.j8.n16.c4.p3"))
        #expect(kernel.minimumComputeCapability == ComputeCapability(major: 8, minor: 0))
        let odd = try KernelGen.render(try llmProblem(m: 3), .bitmap(baseBitmap))
        #expect(odd.source.contains("#define kXTile 0") && odd.source.contains("f32.f16.f16.f32"))
    }

    @Test func theSpaceHoldsBitmapConfigsForHalfTypesAndTheRankingKeepsOne() throws {
        for m in [1, 16, 64, 512] {
            let problem = try llmProblem(m: m)
            let configs = SpMMSpace().configs(for: problem).compactMap(\.asBitmap)
            #expect(!configs.isEmpty, "m = \(m)")
            #expect(configs.allSatisfy { m <= 64 ? $0.columns == max(8, (m + 7) / 8 * 8) : $0.columns >= 32 }, "m = \(m)")
            let ranked = DiversifiedRanking().ranked(for: problem, limit: 8)
            #expect(ranked.contains { $0.family == .bitmap }, "m = \(m)")
        }
        #expect(!SpMMSpace().configs(for: try llmProblem(type: .f32)).contains { $0.family == .bitmap })
        // The measured winners survive pruning at the widths they were measured at.
        // (m = 64: four strips a block leave 64 blocks, fewer than half the SMs.)
        for (m, winners) in [
            (1, ["bitmap.s1.j8.n8.c8.p2"]), (16, ["bitmap.s2.j8.n16.c4.p3"]), (64, ["bitmap.s2.j4.n64.c4.p3"]),
            (512, ["bitmap.s2.j4.n64.c4.p3", "bitmap.s4.j2.n64.c4.p3"]),
        ] {
            let survivors = SpMMSpace().configs(for: try llmProblem(m: m))
            #expect(MeasuredPortfolio.familyConfigs(.bitmap, among: survivors) == (try winners.map { try SpMMConfig(parsing: $0) }), "m = \(m)")
        }
        let audit = SpMMSpace().prune(try llmProblem())
        #expect(audit.survivors.contains { $0.family == .bitmap })
    }
}

/// Compiles a stratified sample of bitmap kernels with NVRTC for sm_80 and sm_90 (every knob
/// value, fp16 and bf16, m = 1 to 512 in both X staging modes, every epilogue) and requires CUBIN
/// without spills.
@Suite(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
struct BitmapNVRTCCompileTests {
    static func jobs() throws -> [KernelCorpus.Job] {
        try stripSliceCompileJobs(BitmapConfig.self, label: "llm", chunksPerTile: 3, wrap: SpMMConfig.bitmap) {
            try llmProblem(m: $0, type: $1, device: $2, epilogue: $3)
        }
    }

    @Test func sampleCompilesToCubinWithoutSpills() async throws {
        let nvrtc = try corpusNVRTC.get()
        let jobs = try Self.jobs()
        #expect(jobs.count == 2 * 2 * 4 * 3)
        try await KernelCorpus.compileFamilySample(jobs, with: nvrtc, dumpVariable: "SPARROW_DUMP_BITMAP", label: "bitmap")
    }
}
