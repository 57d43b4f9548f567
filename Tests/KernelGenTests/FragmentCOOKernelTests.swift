import CUDA
import Foundation
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

let baseFragmentCOO = FragmentCOOConfig(strips: 1, slices: 8, columns: 16, chunk: 4, stages: 3)

@Suite struct FragmentCOOConfigTests {
    @Test func idsRoundTripAndRejectMalformedOnes() throws {
        #expect(SpMMConfig.fragmentCOO(baseFragmentCOO).description == "fcoo.s1.j8.n16.c4.p3")
        #expect(try SpMMConfig(parsing: "fcoo.s2.j4.n64.c8.p4.z2")
            == .fragmentCOO(FragmentCOOConfig(strips: 2, slices: 4, columns: 64, chunk: 8, stages: 4, splits: 2)))
        #expect(configError { _ = try SpMMConfig(parsing: "fcoo.s1.j8.n16.c4") } == .unparsable("fcoo.s1.j8.n16.c4"))
    }

    @Test func sharedMemoryHoldsTheRingAndEachWarpsFragments() throws {
        let problem = try llmProblem()
        // Per step: 8 warps x (32 B of offsets + 4 x 512 + 16 values + 4 x 256 + 16 positions), 8 slices x
        // 64 rows x 32 B of X; then 8 warps x 2 fragments of 512 B.
        #expect(baseFragmentCOO.wStepBytes(problem) == 32 + 2064 + 1040)
        #expect(baseFragmentCOO.sharedMemoryBytes(for: problem) == 3 * (8 * 3136 + 8 * 64 * 32) + 8 * 1024)
        #expect(FragmentCOOConfig(strips: 1, slices: 1, columns: 8, chunk: 8, stages: 2).headerBytes == 48)
        // A W whose fullest block holds 37 entries: 4 blocks are at most 148 values (296 B, to 304)
        // and 148 positions (to 160), each region 16 B more.
        let counted = try makeProblem(n: 4096, k: 4096, m: 16, nnz: 4096 * 410, maxRowLength: 500, type: .f16, maxBlockEntries: 37)
        #expect(baseFragmentCOO.wStepBytes(counted) == 32 + 320 + 176)
        #expect(baseFragmentCOO.sharedMemoryBytes(for: counted) == 3 * (8 * 528 + 8 * 64 * 32) + 8 * 1024)
    }

    @Test func validationStatesEachRule() throws {
        var config = baseFragmentCOO
        config.chunk = 32
        #expect(configError { try config.validate(for: try llmProblem()) } == .unsupportedFragmentCOOKnob(field: "chunk", value: 32, allowed: [2, 4, 8, 16]))
        #expect(configError { try baseFragmentCOO.validate(for: try llmProblem(type: .f32)) } == .fragmentCOONeedsHalfElements(.f32))
        let ordered = try makeProblem(n: 64, k: 512, m: 1, nnz: 6400, maxRowLength: 120, type: .f16, ordering: .byLengthDescending)
        #expect(configError { try baseFragmentCOO.validate(for: ordered) } == .fragmentCOONeedsIdentityRowOrder)
    }

    @Test func renderNamesTheArraysTheScatterAndTheDeskCheck() throws {
        let kernel = try KernelGen.render(try llmProblem(type: .bf16, epilogue: .biasReLU), .fragmentCOO(baseFragmentCOO))
        #expect(kernel.parameters.map(\.role)
            == [.rows, .columnsOfX, .fragmentCOOOffsets, .fragmentCOOPositions, .fragmentCOOValues, .x, .bias, .y])
        #expect(kernel.source.contains("const unsigned char* __restrict__ fcooPositions"))
        #expect(kernel.source.contains("store_if(i < hi, dst + 2u * pos[e], vals[e]);"))
        #expect(kernel.source.contains("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32"))
        #expect(kernel.source.contains("#define kScratch 1024") && kernel.source.contains("cfg=fcoo.s1.j8.n16.c4.p3"))
    }

    @Test func theSpaceHoldsFragmentCOOConfigsForHalfTypes() throws {
        for m in [1, 16, 64, 512] {
            let problem = try llmProblem(m: m)
            let configs = SpMMSpace().configs(for: problem).compactMap(\.asFragmentCOO)
            #expect(!configs.isEmpty, "m = \(m)")
            #expect(configs.allSatisfy { HandCostModel().estimatedNanoseconds(.fragmentCOO($0), for: problem).isFinite })
        }
        #expect(!SpMMSpace().configs(for: try llmProblem(type: .f32)).contains { $0.family == .fragmentCOO })
    }

    /// The measured winners survive pruning where they won (call 2 of the session-16 record, calls 1
    /// and 2 of session 17's; W at 0.9 sparsity, whose fullest 16 x 16 block held 45-50 entries: a
    /// three-stage ring of 16 blocks a step fits 16 warps' shared memory only below 48).
    @Test func theMeasuredWinnersSurviveWhereTheyWon() throws {
        for (n, k, m, fullest, winners) in [
            (4096, 4096, 8, 50, ["fcoo.s1.j16.n8.c4.p2", "fcoo.s2.j8.n8.c8.p4"]), (4096, 4096, 16, 50, ["fcoo.s2.j8.n16.c4.p6"]),
            (14336, 4096, 16, 50, ["fcoo.s4.j2.n16.c8.p4", "fcoo.s8.j4.n16.c8.p3", "fcoo.s4.j4.n16.c16.p2"]),
            (4096, 11008, 16, 50, ["fcoo.s4.j2.n16.c8.p4.z4", "fcoo.s2.j8.n16.c16.p2"]),
            (4096, 4096, 8, 46, ["fcoo.s2.j8.n8.c16.p3"]), (4096, 4096, 16, 50, ["fcoo.s2.j8.n16.c16.p2"]),
            (11008, 4096, 16, 50, ["fcoo.s2.j8.n16.c16.p2"]), (14336, 4096, 8, 50, ["fcoo.s4.j8.n8.c8.p3"]),
            (4096, 11008, 8, 50, ["fcoo.s2.j8.n8.c16.p2", "fcoo.s2.j8.n8.c8.p4"]),
        ] {
            let problem = try makeProblem(n: n, k: k, m: m, nnz: n * k / 10, maxRowLength: k / 8, type: .f16, maxBlockEntries: fullest)
            let kept = MeasuredPortfolio.familyConfigs(.fragmentCOO, among: SpMMSpace().configs(for: problem))
            for winner in winners { #expect(kept.contains(try SpMMConfig(parsing: winner)), "\(n)x\(k) m = \(m): \(winner)") }
        }
    }
}

/// Compiles a stratified sample of fragment-COO kernels with NVRTC for sm_80 and sm_90 (every
/// column tile, fp16 and bf16, m = 1 to 512 in both X staging modes, every epilogue; the skeleton
/// is the bitmap family's, sampled more widely there) and requires CUBIN without spills.
@Suite(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
struct FragmentCOONVRTCCompileTests {
    static func jobs() throws -> [KernelCorpus.Job] {
        try stripSliceCompileJobs(FragmentCOOConfig.self, label: "llm", chunksPerTile: 1, wrap: SpMMConfig.fragmentCOO) {
            try llmProblem(m: $0, type: $1, device: $2, epilogue: $3)
        }
    }

    @Test func sampleCompilesToCubinWithoutSpills() async throws {
        let nvrtc = try corpusNVRTC.get()
        let jobs = try Self.jobs()
        #expect(jobs.count == 2 * 2 * 4)
        try await KernelCorpus.compileFamilySample(jobs, with: nvrtc, dumpVariable: "SPARROW_DUMP_FCOO", label: "fragment-COO")
    }
}
