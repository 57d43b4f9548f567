import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// One test per rule: each builds a config that breaks exactly that rule.
@Suite struct ConfigValidationTests {
    func tiled(
        subwarp: Int = 8, rows: Int = 4, tile: Int = 64, vector: Int = 4, chunk: Int = 32, db: Bool = true,
        split: Int = 1
    ) -> TiledConfig {
        TiledConfig(
            subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: vector, chunkSize: chunk,
            doubleBuffered: db, rowSplit: split)
    }

    @Test func baselineIsValid() throws {
        try baseTiled.validate(for: makeProblem())
        try SpMMConfig.simpleCSR().validate(for: makeProblem())
    }

    @Test func subwarpMustDivideTheWarp() throws {
        let problem = try makeProblem()
        #expect(configError { try tiled(subwarp: 6, rows: 16, tile: 48).validate(for: problem) } == .unsupportedSubwarpSize(6))
        #expect(configError { try tiled(subwarp: 64, rows: 2, tile: 256).validate(for: problem) } == .unsupportedSubwarpSize(64))
        #expect(configError { try tiled(subwarp: 2, rows: 16, tile: 8).validate(for: problem) } == .unsupportedSubwarpSize(2))
    }

    @Test func rowsPerBlockMustBePositive() throws {
        #expect(configError { try tiled(rows: 0).validate(for: makeProblem()) } == .nonPositive(field: "rowsPerBlock", value: 0))
    }

    @Test func threadsMustBeAWarpMultiple() throws {
        #expect(
            configError { try tiled(rows: 3).validate(for: makeProblem()) }
                == .threadsNotWarpMultiple(threads: 24, warpSize: 32))
    }

    @Test func threadsMustFitTheDevice() throws {
        #expect(
            configError { try tiled(subwarp: 32, rows: 64, tile: 128).validate(for: makeProblem()) }
                == .tooManyThreads(threads: 2048, limit: 1024))
    }

    @Test func bigBlocksLeaveRegistersForTheTile() throws {
        // Above 256 threads the tiled kernel declares __launch_bounds__ for 1024 resident threads:
        // 64 registers each, fewer than 32 accumulators need (24 + 32 x 2 = 88), for 1024 and
        // 512 threads alike; 256 threads keep 255.
        #expect(
            configError { try tiled(subwarp: 32, rows: 32, tile: 1024).validate(for: makeProblem(m: 1024)) }
                == .registerBudgetExceeded(threads: 1024, budget: 64, needed: 88))
        #expect(
            configError { try tiled(subwarp: 32, rows: 16, tile: 1024).validate(for: makeProblem(m: 1024)) }
                == .registerBudgetExceeded(threads: 512, budget: 64, needed: 88))
        try tiled(subwarp: 32, rows: 8, tile: 1024).validate(for: makeProblem(m: 1024))
        try tiled(subwarp: 32, rows: 32, tile: 128, db: false).validate(for: makeProblem())
    }

    @Test func vectorWidthIsAtMost16Bytes() throws {
        #expect(
            configError { try tiled(tile: 64, vector: 8).validate(for: makeProblem(type: .f32)) }
                == .unsupportedVectorWidth(width: 8, elementType: .f32))
        #expect(
            configError { try tiled(tile: 96, vector: 3).validate(for: makeProblem(type: .f16)) }
                == .unsupportedVectorWidth(width: 3, elementType: .f16))
        // Eight 16-bit elements are 16 bytes: allowed.
        try tiled(tile: 64, vector: 8).validate(for: makeProblem(type: .f16))
    }

    @Test func vectorWidthMustDivideM() throws {
        #expect(
            configError { try tiled().validate(for: makeProblem(m: 250)) } == .vectorWidthMisaligned(width: 4, m: 250))
        try tiled(tile: 64, vector: 2).validate(for: makeProblem(m: 250))
    }

    @Test func tileIsWholeVectorsPerLane() throws {
        let problem = try makeProblem()
        #expect(
            configError { try tiled(tile: 48).validate(for: problem) }
                == .tileNotMultiple(tile: 48, vectorWidth: 4, subwarpSize: 8))
        #expect(
            configError { try tiled(tile: 0).validate(for: problem) }
                == .tileNotMultiple(tile: 0, vectorWidth: 4, subwarpSize: 8))
    }

    @Test func accumulatorsPerThreadAreCapped() throws {
        #expect(
            configError { try tiled(tile: 512).validate(for: makeProblem()) }
                == .tooManyAccumulators(perThread: 64, limit: 32))
    }

    @Test func chunkIsAMultipleOfTheSubwarp() throws {
        let problem = try makeProblem()
        #expect(configError { try tiled(chunk: 20).validate(for: problem) } == .chunkNotMultipleOfSubwarp(chunk: 20, subwarpSize: 8))
        #expect(configError { try tiled(chunk: 0).validate(for: problem) } == .chunkNotMultipleOfSubwarp(chunk: 0, subwarpSize: 8))
    }

    @Test func doubleBufferingNeedsSM80() throws {
        var volta = DeviceLimits.sm80
        volta.computeCapability = ComputeCapability(major: 7, minor: 0)
        let problem = try makeProblem(device: volta)
        #expect(configError { try tiled().validate(for: problem) } == .asyncCopyNeedsSM80(volta.computeCapability))
        try tiled(db: false).validate(for: problem)
    }

    @Test func doubleBufferingNeedsFourByteCopies() throws {
        // chunk 8 over 8 lanes: one 2-byte f16 value per lane, too narrow for cp.async.
        #expect(configError { try tiled(chunk: 8).validate(for: makeProblem(type: .f16)) } == .asyncCopyTooNarrow(bytes: 2))
        try tiled(chunk: 8).validate(for: makeProblem(type: .f32))
        try tiled(chunk: 16).validate(for: makeProblem(type: .f16))
    }

    @Test func sharedMemoryFitsTheDefaultLimit() throws {
        // 32 rows x (2 x 256 + 4 pad) x (4 + 4) bytes = 132,096 bytes > 49,152.
        let config = tiled(subwarp: 4, rows: 32, tile: 16, chunk: 256)
        #expect(
            configError { try config.validate(for: makeProblem()) }
                == .sharedMemoryExceeded(bytes: 132_096, limit: 49_152))
    }

    @Test func gridYFitsTheDevice() throws {
        // m = 4,194,304 in tiles of 32 columns needs 131,072 column blocks.
        let problem = try makeProblem(m: 4_194_304)
        #expect(
            configError { try tiled(tile: 32).validate(for: problem) }
                == .gridTooLarge(dimension: "y", blocks: 131_072, limit: 65_535))
        // simpleCSR puts rows on y: 600,000 rows in blocks of 8 need 75,000.
        let tall = try makeProblem(n: 600_000, nnz: 600_000, maxRowLength: 1)
        #expect(
            configError { try SpMMConfig.simpleCSR().validate(for: tall) }
                == .gridTooLarge(dimension: "y", blocks: 75_000, limit: 65_535))
    }

    @Test func rowSplitIsAPowerOfTwoUpTo16() throws {
        let problem = try makeProblem(k: 4096, maxRowLength: 4000)
        #expect(configError { try tiled(rows: 4, split: 0).validate(for: problem) } == .nonPositive(field: "rowSplit", value: 0))
        #expect(configError { try tiled(rows: 4, split: 3).validate(for: problem) } == .unsupportedRowSplit(3))
        #expect(configError { try tiled(subwarp: 4, rows: 1, tile: 16, split: 32).validate(for: problem) } == .unsupportedRowSplit(32))
        try tiled(subwarp: 4, rows: 2, tile: 16, split: 16).validate(for: problem)
    }

    @Test func rowSplitIsAtMostTheLongestRowsChunks() throws {
        // maxRowLength 80 in chunks of 32: 3 chunks, so a split of 2 is fine and 4 is not.
        let problem = try makeProblem(maxRowLength: 80)
        try tiled(rows: 4, split: 2).validate(for: problem)
        #expect(
            configError { try tiled(rows: 2, split: 4).validate(for: problem) }
                == .rowSplitExceedsChunks(rowSplit: 4, maxRowLength: 80, chunkSize: 32, limit: 3))
        // Empty matrices still allow the unsplit kernel (the limit is at least 1).
        try tiled(rows: 4).validate(for: makeProblem(nnz: 0, maxRowLength: 0))
        #expect(
            configError { try tiled(rows: 4, split: 2).validate(for: makeProblem(nnz: 0, maxRowLength: 0)) }
                == .rowSplitExceedsChunks(rowSplit: 2, maxRowLength: 0, chunkSize: 32, limit: 1))
    }

    @Test func splitSubwarpsCountAsThreads() throws {
        let problem = try makeProblem(k: 4096, maxRowLength: 4000)
        // 8 lanes x 1 row x 2 parts = 16 threads: not a warp multiple.
        #expect(configError { try tiled(rows: 1, split: 2).validate(for: problem) } == .threadsNotWarpMultiple(threads: 16, warpSize: 32))
        // 32 lanes x 8 rows x 4 parts = 1024 threads: 64 registers, too few for 32 accumulators.
        #expect(
            configError { try tiled(subwarp: 32, rows: 8, tile: 1024, split: 4).validate(for: problem) }
                == .registerBudgetExceeded(threads: 1024, budget: 64, needed: 88))
        let config = tiled(subwarp: 32, rows: 2, tile: 128, split: 4)
        try config.validate(for: problem)
        #expect(config.threadsPerBlock == 256 && config.blockDimensions == LaunchDimensions(x: 32, y: 2, z: 4))
        #expect(config.gridDimensions(for: problem) == LaunchDimensions(x: 1024, y: 2))
    }

    @Test func splitReductionCountsTowardSharedMemory() throws {
        let problem = try makeProblem(k: 4096, maxRowLength: 4000)
        // 32 subwarps x (2 x 64 + 8 pad) x (4 + 4) bytes of staging = 34,816, plus partial tiles
        // 4 rows x 7 parts x 256 columns x 4 bytes = 28,672: 63,488 > 49,152.
        let config = tiled(subwarp: 8, rows: 4, tile: 256, chunk: 64, split: 8)
        #expect(config.reductionBytes == 28_672)
        #expect(configError { try config.validate(for: problem) } == .sharedMemoryExceeded(bytes: 63_488, limit: 49_152))
        // With chunks of 32 it fits: 18,432 + 28,672.
        let fits = tiled(subwarp: 8, rows: 4, tile: 256, chunk: 32, split: 8)
        try fits.validate(for: problem)
        #expect(fits.sharedMemoryBytes(for: problem) == 47_104)
        // Partial tiles stay fp32 for 16-bit elements: only the staging shrinks.
        #expect(fits.sharedMemoryBytes(for: try makeProblem(k: 4096, maxRowLength: 4000, type: .f16)) == 9_216 + 4_608 + 28_672)
    }

    @Test func splitIdsRoundTripAndIdsWithoutSplitMeanNone() throws {
        let split = tiled(subwarp: 32, rows: 2, tile: 128, split: 4)
        #expect(split.description == "r2.t32.c128.v4.k32.db1.s4")
        #expect(SpMMConfig.tiled(split).identifier == "r2_t32_c128_v4_k32_db1_s4")
        #expect(try SpMMConfig(parsing: "r2.t32.c128.v4.k32.db1.s4") == .tiled(split))
        #expect(try TiledConfig(parsing: "r4.t8.c64.v4.k32.db1").rowSplit == 1)
        #expect(configError { _ = try SpMMConfig(parsing: "r4.t8.c64.v4.k32.db1.s2.s4") } == .unparsable("r4.t8.c64.v4.k32.db1.s2.s4"))
        #expect(configError { _ = try SpMMConfig(parsing: "simple.r8.t32.s2") } == .unparsable("simple.r8.t32.s2"))
        #expect(try JSONDecoder().decode(SpMMConfig.self, from: JSONEncoder().encode(SpMMConfig.tiled(split))) == .tiled(split))
    }

    @Test func errorsStateTheirRule() {
        let error = ConfigError.tileNotMultiple(tile: 48, vectorWidth: 4, subwarpSize: 8)
        #expect(error.description == "tile width 48 is not a positive multiple of vector width x subwarp size = 4 x 8")
        #expect(ConfigError.vectorWidthMisaligned(width: 4, m: 250).description.contains("does not divide m = 250"))
    }

    @Test func descriptionsRoundTrip() throws {
        #expect(baseTiled.description == "r4.t8.c64.v4.k32.db1")
        #expect(baseTiled.identifier == "r4_t8_c64_v4_k32_db1")
        #expect(SpMMConfig.simpleCSR().description == "simple.r8.t32")
        #expect(try SpMMConfig(parsing: "r4.t8.c64.v4.k32.db1") == baseTiled)
        #expect(try SpMMConfig(parsing: "simple.r8.t32") == .simpleCSR())
        #expect(configError { _ = try SpMMConfig(parsing: "r4.t8.c64") } == .unparsable("r4.t8.c64"))
        #expect(configError { _ = try SpMMConfig(parsing: "r4.t8.c64.v4.k32.db2") } == .unparsable("r4.t8.c64.v4.k32.db2"))
        #expect(configError { _ = try SpMMConfig(parsing: "r4.r4.c64.v4.k32.db1") } == .unparsable("r4.r4.c64.v4.k32.db1"))
        #expect(configError { _ = try SpMMConfig(parsing: "simple.r8") } == .unparsable("simple.r8"))
        #expect(try SpMMConfig(parsing: "simple.r4.t16") == .simple(SimpleConfig(threadsPerRow: 16, rowsPerBlock: 4)))
        #expect(try SpMMConfig(parsing: "simple.r4.t16").family == .simple)
    }
}
