import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// Validation rules, ids and shared memory of the X-tiled family (its space and ranking: TunerTests).
@Suite struct XTileConfigTests {
    /// 4096 x 4096 at density 0.1, m = 256: the measured large case.
    static func large(type: ElementType = .f32, device: DeviceLimits = .sm90) throws -> SpMMProblem {
        try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470, type: type, device: device)
    }

    func xTile(
        subwarp: Int = 8, rows: Int = 32, tile: Int = 128, vector: Int = 4, chunk: Int = 64, db: Bool = true
    ) -> XTileConfig {
        XTileConfig(subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: vector, chunkSize: chunk, doubleBuffered: db)
    }

    @Test func baselineIsValidAboveTheDefaultSharedMemoryLimit() throws {
        let config = xTile()
        try config.validate(for: Self.large())
        // 8 warps -> 64 bytes of bounds; S = 8 lanes x 16 bytes fill a phase, so no pad:
        // 64 + 2 x 64 x 128 x 4 = 65,600 bytes (> 48 KiB: the launcher opts in).
        #expect(config.sharedMemoryBytes(for: try Self.large()) == 65_600)
        let kernel = try KernelGen.render(Self.large(), .xTile(config))
        #expect(kernel.dynamicSharedMemoryBytes == 65_600)
        #expect(kernel.grid == LaunchDimensions(x: 128, y: 2) && kernel.block == LaunchDimensions(x: 8, y: 32))
        #expect(kernel.minimumComputeCapability == ComputeCapability(major: 8, minor: 0))
        #expect(kernel.parameters.map(\.name) == ["n", "m", "rowOffsets", "columnIndices", "values", "x", "y"])
        #expect(kernel.parameters.map(\.role) == [.rows, .columnsOfX, .rowOffsets, .columnIndices, .values, .x, .y])
    }

    @Test func sharedMemoryFormulaStagesTheElementTypeAndPadsSmallSubwarps() throws {
        // S = 4 lanes x 16 bytes = 64 bytes: two subwarps share a phase, so rows get 16 elements of pad.
        let small = xTile(subwarp: 4, rows: 64, tile: 64, chunk: 32, db: false)
        #expect(small.rowPad(.f32) == 16)
        #expect(small.sharedMemoryBytes(for: try Self.large()) == 64 + 32 * 80 * 4)
        // f16: half the bytes (v = 8 x 2 bytes over 8 lanes fills a phase: no pad).
        let half = xTile(vector: 8)
        #expect(half.sharedMemoryBytes(for: try Self.large(type: .f16)) == 64 + 2 * 64 * 128 * 2)
        // 32 lanes of 4-byte accesses fill a phase: no pad.
        #expect(xTile(subwarp: 32, rows: 8, tile: 128, vector: 1).rowPad(.f32) == 0)
    }

    @Test func sharedMemoryFitsTheOptInLimit() throws {
        // 64 + 2 x 128 x 256 x 4 = 262,208 > 227 KiB = 232,448 (sm_90).
        let config = xTile(subwarp: 16, rows: 16, tile: 256, chunk: 128)
        #expect(configError { try config.validate(for: Self.large()) } == .sharedMemoryExceedsOptIn(bytes: 262_208, limit: 232_448))
        // Single buffered it fits (131,136 bytes); on sm_80 (163 KiB) two buffers of 96 rows do not.
        try xTile(subwarp: 16, rows: 16, tile: 256, chunk: 128, db: false).validate(for: Self.large())
        let a100 = xTile(subwarp: 16, rows: 16, tile: 256, chunk: 96)
        #expect(
            configError { try a100.validate(for: Self.large(device: .sm80)) }
                == .sharedMemoryExceedsOptIn(bytes: 64 + 2 * 96 * 256 * 4, limit: 166_912))
        try a100.validate(for: Self.large())
    }

    @Test func chunkMustBePositive() throws {
        #expect(configError { try xTile(chunk: 0).validate(for: Self.large()) } == .nonPositive(field: "chunkSize", value: 0))
        // Any positive chunk works: copies past the chunk's vectors are masked.
        try xTile(chunk: 3).validate(for: Self.large())
    }

    @Test func doubleBufferingNeedsSM80AndFourByteCopies() throws {
        var volta = DeviceLimits.sm80
        volta.computeCapability = ComputeCapability(major: 7, minor: 0)
        #expect(configError { try xTile().validate(for: Self.large(device: volta)) } == .asyncCopyNeedsSM80(volta.computeCapability))
        try xTile(db: false).validate(for: Self.large(device: volta))
        // One f16 element per copy is 2 bytes: too narrow for cp.async.
        let narrow = xTile(tile: 64, vector: 1, chunk: 32)
        #expect(configError { try narrow.validate(for: Self.large(type: .f16)) } == .xTileAsyncCopyTooNarrow(bytes: 2))
        try xTile(tile: 64, vector: 2, chunk: 32).validate(for: Self.large(type: .f16))
    }

    @Test func denseRulesAreTheTiledOnes() throws {
        #expect(configError { try xTile(tile: 48).validate(for: Self.large()) } == .tileNotMultiple(tile: 48, vectorWidth: 4, subwarpSize: 8))
        #expect(
            configError { try xTile().validate(for: makeProblem(n: 4096, k: 4096, m: 250, nnz: 1_677_722, maxRowLength: 470)) }
                == .vectorWidthMisaligned(width: 4, m: 250))
        #expect(configError { try xTile(tile: 512).validate(for: Self.large()) } == .tooManyAccumulators(perThread: 64, limit: 32))
        #expect(configError { try xTile(subwarp: 32, rows: 16).validate(for: Self.large()) } == .registerFileExceeded(threads: 512, limit: 256))
        #expect(configError { try xTile(rows: 3).validate(for: Self.large()) } == .threadsNotWarpMultiple(threads: 24, warpSize: 32))
    }

    @Test func errorsStateTheirRule() {
        #expect(
            ConfigError.sharedMemoryExceedsOptIn(bytes: 262_208, limit: 232_448).description
                == "shared memory 262208 bytes per block (staged X chunks) exceeds the device's opt-in limit 232448")
        #expect(ConfigError.xTileAsyncCopyTooNarrow(bytes: 2).description.contains("cp.async needs 4, 8 or 16"))
    }

    @Test func idsRoundTrip() throws {
        let config = SpMMConfig.xTile(xTile())
        #expect(config.description == "xtile.r32.t8.c128.v4.k64.db1")
        #expect(config.identifier == "xtile_r32_t8_c128_v4_k64_db1")
        #expect(try SpMMConfig(parsing: "xtile.r32.t8.c128.v4.k64.db1") == config)
        #expect(try SpMMConfig(parsing: "xtile.r64.t4.c64.v4.k40.db0") == .xTile(xTile(subwarp: 4, rows: 64, tile: 64, chunk: 40, db: false)))
        for bad in ["xtile.r32.t8.c128.v4.k64.db1.s2", "xtile.r32.t8.c128.v4.k64", "xtile.r32.t8.c128.v4.k64.db3"] {
            #expect(configError { _ = try SpMMConfig(parsing: bad) } == .unparsable(bad))
        }
        #expect(try JSONDecoder().decode(SpMMConfig.self, from: JSONEncoder().encode(config)) == config)
        let kernel = try KernelGen.render(Self.large(), config)
        #expect(kernel.entryPoint == "sparrow_spmm_f32_xtile_r32_t8_c128_v4_k64_db1")
    }
}
