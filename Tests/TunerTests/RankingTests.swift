import KernelGen
import SparseFormats
import Testing

@testable import Tuner

@Suite struct RankingTests {
    /// Shapes the lead measured on the H200 (DLMC ResNet-50 layers and a uniform 4096 x 4096).
    static func measuredProblems() throws -> [SpMMProblem] {
        [
            try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760),
            try makeProblem(n: 256, k: 2304, m: 256, nnz: 117_964, maxRowLength: 520),
            try makeProblem(n: 256, k: 1024, m: 196, nnz: 26_214, maxRowLength: 160),
            try makeProblem(n: 2048, k: 512, m: 256, nnz: 314_571, maxRowLength: 200),
            try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30),
            try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470),
        ]
    }

    @Test(arguments: try SpaceTests.awkwardProblems() + measuredProblems())
    func rankedConfigsAreValidDistinctMembersOfTheSpace(_ problem: SpMMProblem) throws {
        let space = Set(SpMMSpace().configs(for: problem))
        for limit in [1, 4, 24] {
            let ranked = DiversifiedRanking().ranked(for: problem, limit: limit)
            #expect(ranked.count == min(limit, space.count))
            #expect(Set(ranked).count == ranked.count, "duplicates")
            #expect(ranked.allSatisfy { space.contains($0) })
            #expect(ranked.first == DiversifiedRanking().ranked(for: problem, limit: 1).first)
            // Best guess first: estimates never decrease along the list.
            let estimates = ranked.map { HandCostModel().estimatedNanoseconds($0, for: problem) }
            #expect(zip(estimates, estimates.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(DiversifiedRanking().ranked(for: problem, limit: 0).isEmpty)
    }

    @Test(arguments: try measuredProblems())
    func everyFamilyIsTimed(_ problem: SpMMProblem) throws {
        let ranked = DiversifiedRanking().ranked(for: problem, limit: 20)
        #expect(ranked.contains { $0.family == .simple })
        #expect(ranked.contains { $0.asTiled?.rowSplit == 1 })
        let splittable = SpMMSpace().configs(for: problem).contains { ($0.asTiled?.rowSplit ?? 1) > 1 }
        #expect(ranked.contains { ($0.asTiled?.rowSplit ?? 1) > 1 } == splittable)
        // Diversity: several (split, subwarp, tile) shapes, not one shape's chunk variants.
        let shapes = Set(ranked.filter { $0.family != .simple }.map { DiversifiedRanking.Shape($0) })
        #expect(shapes.count >= 5, "\(ranked)")
    }

    @Test func fewLongRowsAreSplit() throws {
        // 256 rows of ~690 nonzeros: one subwarp per row leaves most of 132 SMs idle.
        let layer = try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760)
        let first = try #require(try bestGuess(layer).asTiled)
        #expect(first.rowSplit >= 4 && first.vectorWidth == 4 && first.doubleBuffered)
        // Seven rows of up to 4096 nonzeros: the widest split.
        let tiny = try makeProblem(n: 7, k: 4096, m: 96, nnz: 4096 + 6, maxRowLength: 4096, type: .f16, device: .sm80)
        // (Among the CSR families: at f16 the hand model ranks the bitmap tensor-core kernel first here.)
        #expect(try bestGuess(tiny, families: SpMMSpace.csrFamilies).asTiled?.rowSplit == 16)
    }

    @Test func bestGuessFollowsTheShape() throws {
        // Large: the measured best shape (H200 sweep: r8.t32.c256.v4 and neighbours) comes first:
        // wide vectors, whole warps, wide tiles, little splitting.
        let large = try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470)
        #expect(try bestGuess(large).family == .tiled)
        let wide = try #require(DiversifiedRanking().ranked(for: large, limit: 16).compactMap(\.asTiled).first)
        #expect(wide.vectorWidth == 4 && wide.subwarpSize == 32 && wide.tileWidth >= 128)
        #expect(wide.rowSplit <= 2)
        let short = try #require(try bestGuess(try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30)).asTiled)
        #expect(short.rowSplit == 1 && short.chunkSize == 32 && !short.doubleBuffered)
        // m = 3: the compact family (W in 16-bit indices or 4-bit deltas) is the model's first guess;
        // among the CSR families, tiled with 1-wide vectors.
        let narrow = try makeProblem(m: 3, type: .f16)
        #expect(try bestGuess(narrow).family == .compact)
        let odd = try #require(DiversifiedRanking().ranked(for: narrow, limit: 1, space: SpMMSpace(families: SpMMSpace.csrFamilies)).first?.asTiled)
        #expect(odd.vectorWidth == 1)
        let half = try #require(try bestGuess(try makeProblem(m: 512, type: .f16), families: SpMMSpace.csrFamilies).asTiled)
        // 16-bit elements: 8-wide (16-byte) or 4-wide vectors; the 4-wide ones leave room for
        // four loads in flight per thread, which the model prefers while rows are latency-bound.
        #expect(half.vectorWidth >= 4)
    }

    @Test func splittingHelpsOnlyWhileTheDeviceIsNotFull() throws {
        let few = try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760)
        #expect(few.splitHelps(8, subwarp: 32, tile: 128))
        let many = try makeProblem(n: 65536, k: 4096, m: 256, nnz: 6_000_000, maxRowLength: 200)
        #expect(many.splitHelps(1, subwarp: 32, tile: 128))
        #expect(!many.splitHelps(2, subwarp: 32, tile: 128))
        #expect(!SpMMSpace().configs(for: many).contains { ($0.asTiled?.rowSplit ?? 1) > 1 })
    }

    /// The ranking's first config: the single best guess.
    /// The hand model's first pick among the CSR families' configs (these expectations are about
    /// them; the specialised family's estimate is checked in SpecialisedSpaceTests).
    func bestGuess(_ problem: SpMMProblem, families: Set<SpMMConfig.Family> = Set(SpMMConfig.Family.allCases)) throws -> SpMMConfig {
        try #require(DiversifiedRanking().ranked(for: problem, limit: 1, space: SpMMSpace(families: families.subtracting([.specialised]))).first)
    }
}
