import SparseFormats
import Testing

@testable import KernelGen

/// One test per rule: each builds a config that breaks exactly that rule.
@Suite struct ConfigValidationTests {
    func tiled(
        subwarp: Int = 8, rows: Int = 4, tile: Int = 64, vector: Int = 4, chunk: Int = 32, db: Bool = true
    ) -> SpMMConfig {
        .tiled(
            subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: vector, chunkSize: chunk,
            doubleBuffered: db)
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

    @Test func blockFitsTheRegisterFileAt255RegistersPerThread() throws {
        // 65536 / 255 = 257 -> 256 threads at most.
        #expect(
            configError { try tiled(subwarp: 32, rows: 16, tile: 128).validate(for: makeProblem()) }
                == .registerFileExceeded(threads: 512, limit: 256))
        try tiled(subwarp: 32, rows: 8, tile: 128, db: false).validate(for: makeProblem())
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

    @Test func simpleCSRHasNoTilingKnobs() throws {
        var config = SpMMConfig.simpleCSR()
        config.vectorWidth = 4
        #expect(
            configError { try config.validate(for: makeProblem()) }
                == .fieldNotUsedBySimpleCSR(field: "vectorWidth", value: 4, expected: 1))
        config = .simpleCSR()
        config.doubleBuffered = true
        #expect(
            configError { try config.validate(for: makeProblem()) }
                == .fieldNotUsedBySimpleCSR(field: "doubleBuffered", value: 1, expected: 0))
        config = .simpleCSR()
        config.chunkSize = 32
        #expect(
            configError { try config.validate(for: makeProblem()) }
                == .fieldNotUsedBySimpleCSR(field: "chunkSize", value: 32, expected: 0))
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
    }
}
