import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// Validation rules, ids, shared memory, space membership and ranking of the X-tiled variant.
@Suite struct XTileConfigTests {
    /// 4096 x 4096 at density 0.1, m = 256: the measured large case.
    static func large(type: ElementType = .f32, device: DeviceLimits = .sm90) throws -> SpMMProblem {
        try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470, type: type, device: device)
    }

    func xTile(
        subwarp: Int = 8, rows: Int = 32, tile: Int = 128, vector: Int = 4, chunk: Int = 64, db: Bool = true
    ) -> SpMMConfig {
        .xTile(subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: vector, chunkSize: chunk, doubleBuffered: db)
    }

    @Test func baselineIsValidAboveTheDefaultSharedMemoryLimit() throws {
        let config = xTile()
        try config.validate(for: Self.large())
        // 8 warps -> 64 bytes of bounds; S = 8 lanes x 16 bytes fill a phase, so no pad:
        // 64 + 2 x 64 x 128 x 4 = 65,600 bytes (> 48 KiB: the launcher opts in).
        #expect(config.sharedMemoryBytes(for: try Self.large()) == 65_600)
        let kernel = try KernelGen.render(Self.large(), config)
        #expect(kernel.dynamicSharedMemoryBytes == 65_600)
        #expect(kernel.grid == LaunchDimensions(x: 128, y: 2) && kernel.block == LaunchDimensions(x: 8, y: 32))
        #expect(kernel.minimumComputeCapability == ComputeCapability(major: 8, minor: 0))
        #expect(kernel.parameters.map(\.name) == ["n", "m", "rowOffsets", "columnIndices", "values", "x", "y"])
    }

    @Test func sharedMemoryFormulaStagesTheElementTypeAndPadsSmallSubwarps() throws {
        // S = 4 lanes x 16 bytes = 64 bytes: two subwarps share a phase, so rows get 16 elements of pad.
        let small = xTile(subwarp: 4, rows: 64, tile: 64, chunk: 32, db: false)
        #expect(small.xTileRowPad(.f32) == 16)
        #expect(small.sharedMemoryBytes(for: try Self.large()) == 64 + 32 * 80 * 4)
        // f16: half the bytes (v = 8 x 2 bytes over 8 lanes fills a phase: no pad).
        let half = xTile(vector: 8)
        #expect(half.sharedMemoryBytes(for: try Self.large(type: .f16)) == 64 + 2 * 64 * 128 * 2)
        // 32 lanes of 4-byte accesses fill a phase: no pad.
        #expect(xTile(subwarp: 32, rows: 8, tile: 128, vector: 1).xTileRowPad(.f32) == 0)
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

    @Test func xTileHasNoRowSplit() throws {
        var config = xTile(rows: 16)  // 16 rows x 2 x 8 lanes = 256 threads: only the split is wrong
        config.rowSplit = 2
        #expect(configError { try config.validate(for: Self.large()) } == .fieldNotUsedByXTile(field: "rowSplit", value: 2, expected: 1))
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
        #expect(ConfigError.fieldNotUsedByXTile(field: "rowSplit", value: 2, expected: 1).description == "xTile has no rowSplit knob: rowSplit = 2, expected 1")
    }

    @Test func idsRoundTrip() throws {
        let config = xTile()
        #expect(config.description == "xtile.r32.t8.c128.v4.k64.db1")
        #expect(config.identifier == "xtile_r32_t8_c128_v4_k64_db1")
        #expect(try SpMMConfig(parsing: "xtile.r32.t8.c128.v4.k64.db1") == config)
        #expect(try SpMMConfig(parsing: "xtile.r64.t4.c64.v4.k40.db0") == xTile(subwarp: 4, rows: 64, tile: 64, chunk: 40, db: false))
        for bad in ["xtile.r32.t8.c128.v4.k64.db1.s2", "xtile.r32.t8.c128.v4.k64", "xtile.r32.t8.c128.v4.k64.db3"] {
            #expect(configError { _ = try SpMMConfig(parsing: bad) } == .unparsable(bad))
        }
        #expect(try JSONDecoder().decode(SpMMConfig.self, from: JSONEncoder().encode(config)) == config)
        let kernel = try KernelGen.render(Self.large(), config)
        #expect(kernel.entryPoint == "sparrow_spmm_f32_xtile_r32_t8_c128_v4_k64_db1")
    }

    @Test func spaceHasXTileWhereItCanPay() throws {
        let space = KernelGen.configSpace(for: try Self.large())
        let xTiles = space.filter { $0.variant == .xTile }
        #expect(!xTiles.isEmpty && space.count <= 1400)
        for config in xTiles {
            #expect(configError { try config.validate(for: try Self.large()) } == nil)
            #expect(Double(config.rowsPerBlock) * 0.1 >= 1, "\(config): a staged X row reused by fewer than one row")
            #expect(config.gridDimensions(for: try Self.large()).x * config.gridDimensions(for: try Self.large()).y >= 132)
        }
        #expect(Set(xTiles.map(\.doubleBuffered)) == [false, true] && Set(xTiles.map(\.chunkSize)) == [32, 64, 128])
        // Very sparse (density 0.01: 256 rows per block would be needed), few rows, tiny: none.
        let sparse = try makeProblem(n: 4096, k: 4096, m: 256, nnz: 167_772, maxRowLength: 70)
        #expect(!KernelGen.configSpace(for: sparse).contains { $0.variant == .xTile })
        let layer = try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760)
        #expect(!KernelGen.configSpace(for: layer).contains { $0.variant == .xTile })
        let tiny = try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30)
        #expect(!KernelGen.configSpace(for: tiny).contains { $0.variant == .xTile })
    }

    @Test func rankingKeepsOneXTileSlotAfterItsMeasurements() throws {
        for type in [ElementType.f32, .f16] {
            let ranked = KernelGen.rankedConfigs(for: try Self.large(type: type), limit: 16)
            // Measured slower than the tiled family on the H200: one safety-net slot, not first.
            #expect(ranked.first?.variant == .tiled, "\(type)")
            #expect(ranked.filter { $0.variant == .xTile }.count == 1)
        }
        // The DLMC 2048 x 512 layer at 0.8 sparsity: xTile is in the shortlist.
        let dlmc = try makeProblem(n: 2048, k: 512, m: 256, nnz: 209_715, maxRowLength: 140)
        #expect(KernelGen.rankedConfigs(for: dlmc, limit: 16).contains { $0.variant == .xTile })
        // The shared-memory reads make xTile's load/store bytes exceed the tiled kernel's L1
        // requests; it wins on the L2 bytes it saves: staged X is K x m per R rows.
        let large = try Self.large()
        let best = KernelGen.rankedConfigs(for: large, limit: 1)[0]
        let tiled = try SpMMConfig(parsing: "r2.t32.c256.v4.k32.db1")
        #expect(KernelGen.estimatedNanoseconds(best, for: large) < KernelGen.estimatedNanoseconds(tiled, for: large))
    }
}
