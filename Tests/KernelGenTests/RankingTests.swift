import SparseFormats
import Testing

@testable import KernelGen

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

    @Test(arguments: try ConfigSpaceTests.awkwardProblems() + measuredProblems())
    func rankedConfigsAreValidDistinctMembersOfTheSpace(_ problem: SpMMProblem) throws {
        let space = Set(KernelGen.configSpace(for: problem))
        for limit in [1, 4, 24] {
            let ranked = KernelGen.rankedConfigs(for: problem, limit: limit)
            #expect(ranked.count == min(limit, space.count))
            #expect(Set(ranked).count == ranked.count, "duplicates")
            #expect(ranked.allSatisfy { space.contains($0) })
            #expect(ranked.first == KernelGen.defaultConfig(for: problem))
            // Best guess first: estimates never decrease along the list.
            let estimates = ranked.map { KernelGen.estimatedNanoseconds($0, for: problem) }
            #expect(zip(estimates, estimates.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(KernelGen.rankedConfigs(for: problem, limit: 0).isEmpty)
    }

    @Test(arguments: try measuredProblems())
    func everyFamilyIsTimed(_ problem: SpMMProblem) throws {
        let ranked = KernelGen.rankedConfigs(for: problem, limit: 20)
        #expect(ranked.contains { $0.variant == .simpleCSR })
        #expect(ranked.contains { $0.variant == .tiled && $0.rowSplit == 1 })
        let splittable = KernelGen.configSpace(for: problem).contains { $0.rowSplit > 1 }
        #expect(ranked.contains { $0.rowSplit > 1 } == splittable)
        // Diversity: several (split, subwarp, tile) shapes, not one shape's chunk variants.
        let shapes = Set(ranked.filter { $0.variant != .simpleCSR }.map { "\($0.variant) \($0.rowSplit) \($0.subwarpSize) \($0.tileWidth)" })
        #expect(shapes.count >= 5, "\(ranked)")
    }

    @Test func fewLongRowsAreSplit() throws {
        // 256 rows of ~690 nonzeros: one subwarp per row leaves most of 132 SMs idle.
        let layer = try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760)
        let first = KernelGen.defaultConfig(for: layer)
        #expect(first.variant == .tiled && first.rowSplit >= 4 && first.vectorWidth == 4 && first.doubleBuffered)
        // Seven rows of up to 4096 nonzeros: the widest split.
        let tiny = try makeProblem(n: 7, k: 4096, m: 96, nnz: 4096 + 6, maxRowLength: 4096, type: .f16, device: .sm80)
        #expect(KernelGen.defaultConfig(for: tiny).rowSplit == 16)
    }

    @Test func defaultConfigFollowsTheShape() throws {
        // Large: the measured best shape (H200 sweep: r8.t32.c256.v4 and neighbours) comes first:
        // wide vectors, whole warps, wide tiles, little splitting.
        let large = try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470)
        let first = KernelGen.defaultConfig(for: large)
        #expect(first.variant == .tiled)
        let wide = try #require(KernelGen.rankedConfigs(for: large, limit: 16).first { $0.variant == .tiled })
        #expect(wide.vectorWidth == 4 && wide.subwarpSize == 32 && wide.tileWidth >= 128)
        #expect(wide.rowSplit <= 2)
        let short = KernelGen.defaultConfig(for: try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30))
        #expect(short.rowSplit == 1 && short.chunkSize == 32 && !short.doubleBuffered)
        let odd = KernelGen.defaultConfig(for: try makeProblem(m: 3, type: .f16))
        #expect(odd.vectorWidth == 1)
        let half = KernelGen.defaultConfig(for: try makeProblem(m: 512, type: .f16))
        // 16-bit elements: 8-wide (16-byte) or 4-wide vectors; the 4-wide ones leave room for
        // four loads in flight per thread, which the model prefers while rows are latency-bound.
        #expect(half.vectorWidth >= 4)
        #expect(
            KernelGen.defaultConfig(for: try makeProblem(), device: .sm80)
                == KernelGen.defaultConfig(for: try makeProblem(device: .sm80)))
    }

    @Test func splittingHelpsOnlyWhileTheDeviceIsNotFull() throws {
        let few = try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760)
        #expect(KernelGen.splitHelps(8, subwarp: 32, tile: 128, problem: few))
        let many = try makeProblem(n: 65536, k: 4096, m: 256, nnz: 6_000_000, maxRowLength: 200)
        #expect(KernelGen.splitHelps(1, subwarp: 32, tile: 128, problem: many))
        #expect(!KernelGen.splitHelps(2, subwarp: 32, tile: 128, problem: many))
        #expect(!KernelGen.configSpace(for: many).contains { $0.rowSplit > 1 })
    }
}
