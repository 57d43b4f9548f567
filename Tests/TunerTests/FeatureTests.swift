import KernelGen
import SparseFormats
import Testing
@testable import Tuner

@Suite struct FeatureTests {
    static let pattern = PatternStatistics(
        rows: 2048, columns: 512, nnz: 104_858, maxRowLength: 80, rowLengthStd: 6.5, emptyRows: 3,
        columnLengthStd: 14.25)

    @Test(arguments: [1, 16, 256, 2048], [ElementType.f32, .f16, .bf16])
    func everyFeatureOfEverySurvivorIsFinite(m: Int, type: ElementType) throws {
        let problem = try makeProblem(m: m, type: type)
        let features = SpMMFeatures(problem, pattern: Self.pattern)
        #expect(SpMMFeatures.names.count == Set(SpMMFeatures.names).count, "feature names are unique")
        for config in SpMMSpace().configs(for: problem) {
            let vector = features.vector(config)
            #expect(vector.count == SpMMFeatures.names.count)
            let bad = zip(SpMMFeatures.names, vector).filter { !$0.1.isFinite }
            #expect(bad.isEmpty, "\(config): \(bad)")
        }
    }

    @Test func featuresAreStableAcrossCallsAndDoNotDependOnOtherCandidates() throws {
        let problem = try makeProblem()
        let configs = SpMMSpace().configs(for: problem)
        let a = SpMMFeatures(problem, pattern: Self.pattern)
        let b = SpMMFeatures(problem, pattern: Self.pattern)
        #expect(configs.map(a.vector) == configs.reversed().map(b.vector).reversed())
        // Pinned values of one config: a change to a definition changes what a shipped model means.
        let config = SpMMConfig.tiled(
            subwarpSize: 32, rowsPerBlock: 8, tileWidth: 256, vectorWidth: 4, chunkSize: 64, doubleBuffered: false, unroll: 8)
        let named = Dictionary(uniqueKeysWithValues: zip(SpMMFeatures.names, a.vector(config)))
        #expect(named["log2_rows"] == 11 && named["log2_columns"] == 9 && named["log2_n"] == 8)
        #expect(named["family"] == 1 && named["threads_per_block"] == 256 && named["tile_width"] == 256)
        #expect(named["vector_width"] == 4 && named["vectors_per_thread"] == 2 && named["unroll"] == 8)
        #expect(named["tile_covers_n"] == 1 && named["idle_tile_fraction"] == 0)
        #expect(named["log2_blocks"] == 8)  // 2048 rows / 8 per block, one tile
        #expect(named["row_cv"] == 6.5 / (104_858.0 / 2048))
        #expect(named["empty_row_fraction"] == 3.0 / 2048)
    }

    @Test func unknownOrForeignStatisticsAreMissingNotWrong() throws {
        let problem = try makeProblem()
        let config = SpMMConfig.simpleCSR()
        let index = try #require(SpMMFeatures.names.firstIndex(of: "row_cv"))
        #expect(SpMMFeatures(problem, pattern: nil).vector(config)[index].isNaN)
        var foreign = Self.pattern
        foreign.rows += 1
        #expect(SpMMFeatures(problem, pattern: foreign).vector(config)[index].isNaN)
        #expect(!SpMMFeatures(problem, pattern: Self.pattern).vector(config)[index].isNaN)
    }
}
