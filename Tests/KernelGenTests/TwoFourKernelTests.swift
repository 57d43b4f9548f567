import CUDA
import Foundation
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

let baseTwoFour = TwoFourConfig(strips: 1, slices: 8, columns: 16, chunk: 2, stages: 3)

/// A 2:4-pruned llm shape (4096 x 11008 unless given) at half density.
func twoFourProblem(
    n: Int = 4096, k: Int = 11008, m: Int = 16, type: ElementType = .f16, device: DeviceLimits = .sm90, epilogue: Epilogue = .none
) throws -> SpMMProblem {
    try SpMMProblem(
        n: n, k: k, m: m, nnz: n * k / 2, patternDigest: 0x24, maxRowLength: k / 2, elementType: type,
        epilogue: epilogue, twoFour: true, device: device)
}

@Suite struct TwoFourConfigTests {
    @Test func idsRoundTripAndRejectMalformedOnes() throws {
        #expect(SpMMConfig.twoFour(baseTwoFour).description == "sp24.s1.j8.n16.c2.p3")
        #expect(try SpMMConfig(parsing: "sp24.s2.j4.n64.c4.p4") == .twoFour(TwoFourConfig(strips: 2, slices: 4, columns: 64, chunk: 4, stages: 4)))
        let split = TwoFourConfig(strips: 8, slices: 4, columns: 16, chunk: 4, stages: 3, splits: 4)
        #expect(SpMMConfig.twoFour(split).description == "sp24.s8.j4.n16.c4.p3.z4")
        #expect(try SpMMConfig(parsing: "sp24.s8.j4.n16.c4.p3.z4") == .twoFour(split))
        #expect(configError { _ = try SpMMConfig(parsing: "sp24.s1.j8.n16.c2") } == .unparsable("sp24.s1.j8.n16.c2"))
        #expect(configError { _ = try SpMMConfig(parsing: "sp24.s1.j8.n16.c2.p3.x1") } == .unparsable("sp24.s1.j8.n16.c2.p3.x1"))
    }

    @Test func layoutCoversStripsAndColumnTiles() throws {
        let problem = try twoFourProblem()
        // 4096 rows: 256 strips; m = 16 in one column tile; 8 warps.
        #expect(baseTwoFour.gridDimensions(for: problem) == LaunchDimensions(x: 1, y: 256))
        #expect(baseTwoFour.blockDimensions == LaunchDimensions(x: 256))
        // Per step: 8 warps x 2 tiles x 576 B of W, 8 slices x 64 rows x 32 B of X.
        #expect(baseTwoFour.sharedMemoryBytes(for: problem) == 3 * (8 * 1152 + 8 * 64 * 32))
        var wide = baseTwoFour
        wide.strips = 2
        wide.columns = 64
        let prefill = try twoFourProblem(m: 130)
        // m = 130: three tiles of 64 columns, X staged as whole rows (130 is not a multiple of 8).
        #expect(wide.gridDimensions(for: prefill) == LaunchDimensions(x: 3, y: 128))
        #expect(!wide.stagesXAsTile(prefill) && wide.xStepBytes(prefill) == (64 * 130 * 2 + 32 + 15) / 16 * 16)
    }

    @Test func validationStatesEachRule() throws {
        let problem = try twoFourProblem()
        func error(_ change: (inout TwoFourConfig) -> Void, _ on: SpMMProblem? = nil) -> ConfigError? {
            var config = baseTwoFour
            change(&config)
            return configError { try config.validate(for: on ?? problem) }
        }
        #expect(error { _ in } == nil)
        #expect(error { $0.strips = 3 } == .unsupportedTwoFourKnob(field: "strips", value: 3, allowed: [1, 2, 4, 8]))
        #expect(error { $0.slices = 32 } == .unsupportedTwoFourKnob(field: "slices", value: 32, allowed: [1, 2, 4, 8, 16]))
        #expect(error { $0.columns = 24 } == .unsupportedTwoFourKnob(field: "columns", value: 24, allowed: [8, 16, 32, 64]))
        #expect(error { $0.chunk = 16 } == .unsupportedTwoFourKnob(field: "chunk", value: 16, allowed: [1, 2, 4, 8]))
        #expect(error { $0.stages = 5 } == .unsupportedTwoFourKnob(field: "stages", value: 5, allowed: [2, 3, 4]))
        #expect(error { $0.strips = 8; $0.slices = 8 } == .tooManyThreads(threads: 2048, limit: 1024))
        #expect(error({ _ in }, try twoFourProblem(type: .f32)) == .twoFourNeedsHalfElements(.f32))
        var turing = DeviceLimits.sm90
        turing.computeCapability = ComputeCapability(major: 7, minor: 5)
        #expect(error({ _ in }, try twoFourProblem(device: turing)) == .asyncCopyNeedsSM80(ComputeCapability(major: 7, minor: 5)))
        #expect(error({ _ in }, try llmProblem()) == .twoFourNeedsTwoFourWeights)
        var ordered = problem
        ordered.rowOrdering = .byLengthDescending
        #expect(error({ _ in }, ordered) == .twoFourNeedsIdentityRowOrder)
        #expect(error { $0.splits = 3 } == .unsupportedTwoFourKnob(field: "splits", value: 3, allowed: [1, 2, 4, 8]))
        // K = 64: two tiles a strip, so at most two splits.
        let short = try SpMMProblem(
            n: 64, k: 64, m: 8, nnz: 64 * 32, patternDigest: 1, maxRowLength: 32, elementType: .f16, twoFour: true, device: .sm90)
        #expect(error({ $0.splits = 4; $0.slices = 1 }, short) == .splitsExceedUnits(splits: 4, units: 2))
        #expect(error({ $0.splits = 2; $0.slices = 1 }, short) == nil)
        // 16 warps, chunks of 4 tiles, 4 stages at m = 64: 4 x (16 x 2304 + 16 x 128 x 128) B.
        let big = 4 * (16 * 2304 + 16 * 128 * 128)
        #expect(error({ $0.slices = 16; $0.chunk = 4; $0.stages = 4; $0.columns = 64 }, try twoFourProblem(m: 64))
            == .sharedMemoryExceedsOptIn(bytes: big, limit: 227 * 1024))
    }

    @Test func renderNamesTheTwoFourArraysAndTheSparseMMA() throws {
        let problem = try twoFourProblem(type: .bf16, epilogue: .biasReLU)
        let kernel = try KernelGen.render(problem, .twoFour(baseTwoFour))
        #expect(kernel.parameters.map(\.role) == [.rows, .columnsOfX, .twoFourValues, .twoFourMetadata, .x, .bias, .y])
        #expect(kernel.source.contains("const unsigned char* __restrict__ twoFourMetadata"))
        #expect(kernel.source.contains("mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32"))
        #expect(kernel.source.contains("ldmatrix.sync.aligned.m8n8.x4.trans") && kernel.source.contains("#define kXTile 1"))
        #expect(kernel.source.contains("#define kUnits 344") && kernel.source.contains("cfg=sp24.s1.j8.n16.c2.p3"))
        #expect(kernel.minimumComputeCapability == ComputeCapability(major: 8, minor: 0))
        // K split over the grid: the workspace's partials and counters come before Y.
        var split = baseTwoFour
        split.splits = 4
        let splitKernel = try KernelGen.render(try twoFourProblem(), .twoFour(split))
        #expect(splitKernel.parameters.map(\.role) == [.rows, .columnsOfX, .twoFourValues, .twoFourMetadata, .x, .splitPartials, .splitCounters, .y])
        #expect(splitKernel.source.contains("#define kSplits 4") && splitKernel.source.contains("atomicAdd(splitPartials"))
        #expect(split.gridDimensions(for: try twoFourProblem()) == LaunchDimensions(x: 1, y: 256, z: 4))
        let odd = try KernelGen.render(try twoFourProblem(m: 3), .twoFour(baseTwoFour))
        #expect(odd.source.contains("#define kXTile 0") && odd.source.contains("f32.f16.f16.f32"))
    }

    @Test func theSpaceHoldsTwoFourConfigsOnlyForTwoFourHalfProblems() throws {
        for m in [1, 16, 64, 512] {
            let problem = try twoFourProblem(m: m)
            let configs = SpMMSpace().configs(for: problem).compactMap(\.asTwoFour)
            #expect(!configs.isEmpty, "m = \(m)")
            // The bitmap family's column rule applies (the smallest tile covering m), and 16 columns stay past 16.
            #expect(configs.allSatisfy {
                (m <= 64 ? $0.columns == max(8, (m + 7) / 8 * 8) : $0.columns >= 32) || (m > 16 && $0.columns == 16)
            }, "m = \(m)")
            let ranked = DiversifiedRanking().ranked(for: problem, limit: 8)
            #expect(ranked.contains { $0.family == .twoFour }, "m = \(m)")
            // A model estimate exists and is finite for every survivor.
            #expect(configs.allSatisfy { HandCostModel().estimatedNanoseconds(.twoFour($0), for: problem).isFinite })
        }
        // K splits only where the grid needs them (132 SMs): four strips a block (64 blocks at 4096
        // rows) split 2 or 4 ways but not 8 (4 already gives 256 blocks), one strip a block (256 blocks) never.
        let survivors = Set(SpMMSpace().configs(for: try twoFourProblem()).compactMap(\.asTwoFour))
        #expect(survivors.contains(TwoFourConfig(strips: 4, slices: 4, columns: 16, chunk: 4, stages: 2, splits: 4)))
        #expect(!survivors.contains(TwoFourConfig(strips: 4, slices: 4, columns: 16, chunk: 4, stages: 2, splits: 8)))
        #expect(!survivors.contains { $0.strips == 1 && $0.splits > 1 })
        #expect(!SpMMSpace().configs(for: try twoFourProblem(type: .f32)).contains { $0.family == .twoFour })
        // The measured winners survive at the widths they won at (call 3 of the session-13 record, calls
        // 2-3 of session 15's), on the tallest shape (896 strips: eight a block still leave every SM a block).
        for (m, winners) in [
            (1, ["sp24.s1.j16.n8.c4.p2", "sp24.s8.j2.n8.c4.p4", "sp24.s2.j8.n8.c4.p3", "sp24.s2.j4.n8.c8.p3", "sp24.s4.j4.n8.c4.p2",
                 "sp24.s1.j8.n8.c4.p3"]),
            (16, ["sp24.s2.j8.n16.c4.p3", "sp24.s4.j2.n16.c4.p4", "sp24.s8.j2.n16.c4.p4", "sp24.s8.j4.n16.c4.p2"]),
            (64, ["sp24.s2.j8.n16.c4.p3", "sp24.s4.j2.n16.c4.p4", "sp24.s8.j2.n64.c4.p3", "sp24.s8.j2.n16.c4.p4", "sp24.s8.j4.n16.c4.p2"]),
        ] {
            let survivors = SpMMSpace().configs(for: try twoFourProblem(n: 14336, k: 4096, m: m))
            #expect(MeasuredPortfolio.familyConfigs(.twoFour, among: survivors) == (try winners.map { try SpMMConfig(parsing: $0) }), "m = \(m)")
        }
        #expect(!SpMMSpace().configs(for: try llmProblem()).contains { $0.family == .twoFour })
    }

    @Test func aTwoFourPatternMakesATwoFourProblem() throws {
        let pattern = try CSRMatrix<Float>(rows: 2, columns: 8, rowOffsets: [0, 2, 4], columnIndices: [0, 3, 5, 6], values: [1, 2, 3, 4])
        let problem = try SpMMProblem(pattern: pattern, m: 4, patternDigest: 1, elementType: .f16, device: .sm90)
        #expect(problem.twoFour)
        let three = try CSRMatrix<Float>(rows: 1, columns: 8, rowOffsets: [0, 3], columnIndices: [0, 1, 2], values: [1, 2, 3])
        #expect(!(try SpMMProblem(pattern: three, m: 4, patternDigest: 2, elementType: .f16, device: .sm90)).twoFour)
        // Stored problems without the field decode as not 2:4.
        let data = try JSONEncoder().encode(problem)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["twoFour"] = nil
        let old = try JSONDecoder().decode(SpMMProblem.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(!old.twoFour && old.n == 2 && old.m == 4)
    }
}

/// Compiles a stratified sample of 2:4 kernels with NVRTC for sm_80 and sm_90 (every knob value,
/// fp16 and bf16, m = 1 to 512 in both X staging modes, every epilogue) and requires CUBIN without
/// spills.
@Suite(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
struct TwoFourNVRTCCompileTests {
    static func jobs() throws -> [KernelCorpus.Job] {
        try stripSliceCompileJobs(TwoFourConfig.self, label: "llm24", chunksPerTile: 2, wrap: SpMMConfig.twoFour) {
            try twoFourProblem(m: $0, type: $1, device: $2, epilogue: $3)
        }
    }

    @Test func sampleCompilesToCubinWithoutSpills() async throws {
        let nvrtc = try corpusNVRTC.get()
        let jobs = try Self.jobs()
        #expect(jobs.count == 2 * 2 * 4 * 2)
        try await KernelCorpus.compileFamilySample(jobs, with: nvrtc, dumpVariable: "SPARROW_DUMP_TWOFOUR", label: "2:4")
    }
}
