import KernelGen
import SparseFormats
import Testing

@testable import Tuner

/// Space membership and ranking of the unroll knob, the wide blocks, the X-tiled family and
/// the measured portfolio (moved here from KernelGen's family tests).
@Suite struct FamilySpaceTests {
    /// 4096 x 4096 at density 0.1, m = 256: the measured large case.
    static func large(type: ElementType = .f32, device: DeviceLimits = .sm90) throws -> SpMMProblem {
        try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470, type: type, device: device)
    }

    @Test func spaceAddsUnrolledTwinsWithinTheRegisterRule() throws {
        let problem = try Self.large()
        let space = SpMMSpace().configs(for: problem)
        let set = Set(space)
        for config in space.compactMap(\.asTiled) {
            let valuesInFlight = config.vectorsPerThread * config.vectorWidth
            if config.unroll == SpMMSpace.maxUnroll {
                #expect(valuesInFlight * config.unroll <= 64, "\(config) holds too many X values in flight")
                var auto = config
                auto.unroll = 0
                #expect(set.contains(.tiled(auto)), "\(config) has no automatic twin")
            } else if config.unroll == 0, config.macUnroll < SpMMSpace.maxUnroll, valuesInFlight * 8 <= 64 {
                var twin = config
                twin.unroll = SpMMSpace.maxUnroll
                #expect(set.contains(.tiled(twin)), "\(config) has no unroll-8 twin")
            }
        }
        #expect(space.contains(try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8")))
    }

    @Test func wideBlocksAreInTheSpaceWhereTilesAreNarrowerThanM() throws {
        let transformer = try makeProblem(n: 512, k: 512, m: 2048, nnz: 26_214, maxRowLength: 90)
        let wide = SpMMSpace().configs(for: transformer).filter { $0.threadsPerBlock >= 512 }
        #expect(wide.contains(try SpMMConfig(parsing: "r32.t32.c128.v4.k32.db1")))
        for config in wide {
            let tiled = try #require(config.asTiled)
            #expect(tiled.tileWidth < transformer.m)
            let grid = config.gridDimensions(for: transformer)
            #expect(grid.x * grid.y >= transformer.device.multiprocessorCount)
        }
        // One tile covers m = 256 of a 64-row problem: no wide configs there (and too few blocks).
        let small = try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30)
        #expect(!SpMMSpace().configs(for: small).contains { $0.threadsPerBlock >= 512 })
    }

    @Test func portfolioIsValidWhereVectorsFit() throws {
        // Rows long enough for the 8-way splits (8 chunks of 32).
        let problem = try makeProblem(n: 2048, k: 512, m: 256, nnz: 104_858, maxRowLength: 400)
        #expect(MeasuredPortfolio.configs(for: problem).count == MeasuredPortfolio.all.count)
        #expect(MeasuredPortfolio.configs(for: try makeProblem(m: 3)).isEmpty)  // no 4-wide vectors for m = 3
    }

    @Test func shortlistPutsThePortfolioFirstAndReportsRejectedExtras() throws {
        let problem = try makeProblem(n: 2048, k: 512, m: 256, nnz: 104_858, maxRowLength: 400)
        let named = try SpMMConfig(parsing: "r4.t8.c32.v4.k32.db0.u8")
        let invalid = try SpMMConfig(parsing: "r4.t8.c64.v8.k32.db0")  // 8 floats: 32-byte loads
        let (configs, rejected) = PortfolioShortlist.configs(for: problem, limit: 8, extra: [named, invalid])
        #expect(Array(configs.prefix(4)) == Array(MeasuredPortfolio.configs(for: problem).prefix(4)))
        #expect(configs.count == 9 && configs.last == named)
        #expect(rejected.count == 1 && rejected.first?.config == invalid)
        #expect(rejected.first?.error == .unsupportedVectorWidth(width: 8, elementType: .f32))
    }

    /// At decoding shapes the compact family's measured winners lead the shortlist (a diversified
    /// ranking of 6 left the delta4 winner at 0.7 out), and a space without the family gets none.
    @Test func compactWinnersLeadDecodingShortlistsOfSpacesThatHoldThem() throws {
        let problem = try makeProblem(n: 11008, k: 4096, m: 1, nnz: 13_526_630, maxRowLength: 1330, type: .f16)
        let winners = MeasuredPortfolio.configs(for: problem).filter { $0.family == .compact }
        #expect(winners.count >= 3)
        let shortlist = PortfolioShortlist.configs(for: problem, limit: 6).configs
        #expect(Array(shortlist.prefix(3)) == Array(winners.prefix(3)))
        let csrOnly = SpMMSpace(families: SpMMSpace.csrFamilies, rowOrders: [.identity])
        let csrShortlist = PortfolioShortlist.configs(for: problem, limit: 6, space: csrOnly).configs
        #expect(!csrShortlist.isEmpty && csrShortlist.allSatisfy { SpMMSpace.csrFamilies.contains($0.family) })
    }

    /// A compact chunk past K stages the same X as the covering chunk: the portfolio names such a
    /// design by the covering chunk and lists it once, so at K = 4096 the `k4096` and `k16384`
    /// entries of one design take one of the shortlist's portfolio places, not two.
    @Test func portfolioListsEachCompactKernelOnce() throws {
        let square = try makeProblem(n: 4096, k: 4096, m: 1, nnz: 8_388_608, maxRowLength: 2300, type: .f16)
        let listed = MeasuredPortfolio.configs(for: square).compactMap(\.asCompact)
        #expect(listed.allSatisfy { $0.chunk <= 4096 })
        #expect(Set(listed).count == listed.count)
        let named = Set(MeasuredPortfolio.compact.compactMap { SpMMSpace.coveringChunkName($0, for: square).asCompact })
        #expect(listed.count == named.count && listed.count < MeasuredPortfolio.compact.count)
        #expect(listed.first?.description == "compact.i4.w16.v8.u1.s1.b2.k4096.db1")
        // K = 11008 needs the 16384-row chunk: nothing is renamed there.
        let wide = try makeProblem(n: 4096, k: 11008, m: 1, nnz: 22_544_384, maxRowLength: 5800, type: .f16)
        #expect(MeasuredPortfolio.configs(for: wide).first?.description == "compact.i4.w16.v8.u1.s1.b2.k16384.db1")
        // The rule that prunes the space's twins past the covering chunk names the same chunk.
        let twin = SpMMConfig.compact(CompactConfig(
            format: .csr16, warps: 16, vectorWidth: 8, unroll: 1, split: 1, blocksPerSM: 2, chunk: 8192, doubleBuffered: true))
        #expect(SpMMPruningRule.compactChunkCoversK.rejectionTest(among: [twin], for: square)(twin))
        let renamed = SpMMSpace.coveringChunkName(twin, for: square)
        #expect(!SpMMPruningRule.compactChunkCoversK.rejectionTest(among: [renamed], for: square)(renamed))
        // "The same kernel": the two renderings differ only in the names (entry point, the header's config id).
        let long = try KernelGen.render(square, twin), short = try KernelGen.render(square, renamed)
        #expect(long.entryPoint != short.entryPoint)
        let renamedSource = long.source.replacingOccurrences(of: long.entryPoint, with: short.entryPoint)
            .replacingOccurrences(of: twin.description, with: renamed.description)
        #expect(renamedSource == short.source)
    }

    @Test func spaceHasXTileWhereItCanPay() throws {
        let space = SpMMSpace().configs(for: try Self.large())
        let xTiles = space.compactMap(\.asXTile)
        #expect(!xTiles.isEmpty && space.filter { $0.rowOrder == .identity }.count <= 1400)
        for config in xTiles {
            #expect(configError { try config.validate(for: try Self.large()) } == nil)
            #expect(Double(config.rowsPerBlock) * 0.1 >= 1, "\(config): a staged X row reused by fewer than one row")
            let grid = config.gridDimensions(for: try Self.large())
            #expect(grid.x * grid.y >= 132)
        }
        #expect(Set(xTiles.map(\.doubleBuffered)) == [false, true] && Set(xTiles.map(\.chunkSize)) == [32, 64, 128])
        // Very sparse (density 0.01: 256 rows per block would be needed), few rows, tiny: none.
        let sparse = try makeProblem(n: 4096, k: 4096, m: 256, nnz: 167_772, maxRowLength: 70)
        #expect(!SpMMSpace().configs(for: sparse).contains { $0.family == .xTile })
        let layer = try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760)
        #expect(!SpMMSpace().configs(for: layer).contains { $0.family == .xTile })
        let tiny = try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30)
        #expect(!SpMMSpace().configs(for: tiny).contains { $0.family == .xTile })
    }

    @Test func rankingKeepsOneXTileSlotAfterItsMeasurements() throws {
        let ranking = DiversifiedRanking()
        for type in [ElementType.f32, .f16] {
            let ranked = ranking.ranked(for: try Self.large(type: type), limit: 16)
            // Measured slower than the tiled family on the H200: one safety-net slot, not first (at
            // f16 the hand model puts a tensor-core family, bitmap or fragment-COO, first, unmeasured at this shape).
            let first = try #require(ranked.first?.family)
            #expect(type == .f32 ? first == .tiled : [.bitmap, .fragmentCOO].contains(first), "\(type)")
            #expect(ranked.filter { $0.family == .xTile }.count == 1)
        }
        // The DLMC 2048 x 512 layer at 0.8 sparsity: xTile is in the shortlist.
        let dlmc = try makeProblem(n: 2048, k: 512, m: 256, nnz: 209_715, maxRowLength: 140)
        #expect(ranking.ranked(for: dlmc, limit: 16).contains { $0.family == .xTile })
        // The shared-memory reads make xTile's load/store bytes exceed the tiled kernel's L1
        // requests; it wins on the L2 bytes it saves: staged X is K x m per R rows.
        let large = try Self.large()
        let best = try #require(ranking.ranked(for: large, limit: 1).first)
        let tiled = try SpMMConfig(parsing: "r2.t32.c256.v4.k32.db1")
        let model = HandCostModel()
        #expect(model.estimatedNanoseconds(best, for: large) < model.estimatedNanoseconds(tiled, for: large))
    }
}
