import KernelGen
import SparseFormats
import Testing

@testable import Tuner

/// The attention space: the second op searched by the same ``Search`` (no new search logic).
struct AttentionSpaceTests {
    static func problem(length: Int = 4096, nnz: Int, segments: Int = 1, d: Int = 64) throws -> AttentionTuningProblem {
        AttentionTuningProblem(
            problem: try AttentionProblem(headSize: d, elementType: .f16, device: .sm90),
            shape: try AttentionShape(length: length, batchHeads: 16, segmentsPerRow: segments, nnz: nnz))
    }

    @Test func enumeratesTheVariantsAskedForAndRefusesWhatTheKernelsCannotRun() throws {
        let window = try Self.problem(nnz: 4096 * 257)
        #expect(AttentionSpace().enumerate(window).count == AttentionConfig.all.count)
        #expect(AttentionSpace(variants: [.tensorCore, .rowWarp]).enumerate(window).allSatisfy { $0.variant != .unfused })
        let wide = try Self.problem(nnz: 4096 * 40, segments: 9)
        let tc = AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2)
        #expect(AttentionSpace().legalityError(tc, for: wide) as? AttentionShapeError == .segmentsPerRow(9, limit: 8))
        #expect(AttentionSpace().isLegal(AttentionConfig(.rowWarp, warps: 4), for: wide))
        #expect(AttentionSpace().legalityError(AttentionConfig(.tensorCore, warps: 3, keysPerTile: 64, stages: 2), for: window) != nil)
    }

    @Test func tilesTwiceTheBlockSpanArePrunedForTinyWindows() throws {
        // 9 keys a row: a block of 32 queries spans about 41 keys, so 128-key tiles are pruned; 64 stays.
        let tiny = try Self.problem(nnz: 4096 * 9)
        let survivors = AttentionSpace().prune(tiny).survivors
        #expect(!survivors.contains(AttentionConfig(.tensorCore, warps: 2, keysPerTile: 128, stages: 2)))
        #expect(survivors.contains(AttentionConfig(.tensorCore, warps: 2, keysPerTile: 64, stages: 2)))
        #expect(survivors.contains(AttentionConfig(.tensorCore, warps: 8, keysPerTile: 128, stages: 2)))
        let window = try Self.problem(nnz: 4096 * 257)
        // A window's rows are all about equally long: every split config is pruned, nothing else.
        let unsplit = AttentionConfig.all.filter { !$0.splits }
        #expect(AttentionSpace().prune(window).survivors == unsplit)
    }

    @Test func globalRowsRankSplitConfigsFirstAndWindowsUnsplit() throws {
        let model = AttentionHandCostModel()
        // global 16 + window 256 at 16k: 16 rows of 16384 keys, the rest about 273.
        let length = 16384
        let global = AttentionTuningProblem(
            problem: try AttentionProblem(headSize: 64, elementType: .f16, device: .sm90),
            shape: try AttentionShape(length: length, batchHeads: 16, segmentsPerRow: 2, nnz: 16 * length + (length - 16) * 273, longestRow: length))
        let survivors = AttentionSpace(variants: [.tensorCore]).prune(global).survivors
        #expect(survivors.contains { $0.splits })
        let ranked = model.rank(survivors, for: global)
        print("attention hand ranking, global 16 + window 256 at 16k: " + ranked.prefix(6).map(\.identifier).joined(separator: " "))
        #expect(ranked.first?.splits == true)
        // The critical path of the unsplit walk (~260 tiles) is several times the split one.
        let unsplit = model.estimate(AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2), for: global)
        let split = model.estimate(AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: 8), for: global)
        #expect(split < unsplit / 2)
        // Splitting every block of a window (T = 2 below its ~7-tile walk) costs more than it gains.
        let window = try Self.problem(length: length, nnz: length * 257)
        let w = AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2)
        #expect(model.estimate(w, for: window) < model.estimate(AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: 2), for: window))
    }

    @Test func theSameSearchRanksMeasuresAndPicksTheFastestCorrectConfig() throws {
        let problem = try Self.problem(nnz: 4096 * 257)
        let model = AttentionHandCostModel()
        let ranked = model.rank(AttentionSpace().prune(problem).survivors, for: problem)
        // The hand model puts a tensor-core config first and the unfused path last for a window of 256.
        #expect(ranked.first?.variant == .tensorCore && ranked.last?.variant == .unfused)
        // As measured on the H200 (docs/perf/2026-12-02-h200-session14-wgmma): the mma.sync kernel before the
        // wgmma one at the same tile.
        let tc = AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2)
        #expect(model.estimate(tc, for: problem) < model.estimate(AttentionConfig(.warpGroup, warps: 8, keysPerTile: 64, stages: 2), for: problem))
        #expect(ranked.contains { $0.variant == .warpGroup }, "the wg kernels are in the space on 9.0")
        // As measured on the H200 (docs/perf/2026-11-30-h200-attention): 64-key tiles before 128-key ones.
        let firstTile = try #require(ranked.first { $0.variant == .tensorCore }).keysPerTile
        #expect(firstTile == 64)
        print("attention hand ranking, window 256 at 4096: " + ranked.prefix(6).map(\.identifier).joined(separator: " "))
        let fastest = ranked[1]
        let measurer = AttentionFakeMeasurer(fastest: fastest, wrong: ranked[0])
        let search = Search(space: AttentionSpace(), strategy: RankedTopK(model, k: 3))
        let sink = MemoryTrialSink<AttentionTuningProblem, AttentionConfig>()
        let result = try search.run(for: problem, measurer: measurer, sink: sink)
        #expect(result.best.config == fastest)
        #expect(result.trials.map(\.config) == Array(ranked.prefix(3)))
        #expect(sink.records.count == 3)
    }
}

/// Times every config at 2 ms except `fastest` (1 ms); `wrong` disagrees with the reference.
struct AttentionFakeMeasurer: Measurer {
    let fastest: AttentionConfig
    let wrong: AttentionConfig

    func measure(_ config: AttentionConfig, for problem: AttentionTuningProblem) -> Trial<AttentionConfig> {
        if config == wrong { return Trial(config: config, status: .wrongResult(relativeError: 0.3, detail: "fake")) }
        return Trial(config: config, status: .ok(seconds: config == fastest ? 1e-3 : 2e-3))
    }
}
