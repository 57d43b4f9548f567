import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The `unroll` knob (X loads in flight per thread) and the wide (512 / 1024 thread) blocks.
@Suite struct UnrollAndWideBlockTests {
    @Test func unrollIsNamedParsedAndDecoded() throws {
        for text in ["r8.t32.c256.v4.k64.db0.u8", "r2.t32.c128.v4.k32.db0.s2.u8", "r32.t32.c128.v4.k32.db1"] {
            #expect(try SpMMConfig(parsing: text).description == text)
        }
        let config = try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8")
        #expect(config.unroll == 8 && config.macUnroll == 8 && config.identifier == "r8_t32_c256_v4_k64_db0_u8")
        // The rule's unroll without the knob: 16 / (2 vectors x 4) = 2.
        #expect(try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0").macUnroll == 2)
        // Records written before the knob decode with unroll 0 (automatic).
        let old = #"{"variant":"tiled","subwarpSize":32,"rowsPerBlock":8,"tileWidth":256,"vectorWidth":4,"chunkSize":64,"doubleBuffered":false}"#
        let decoded = try JSONDecoder().decode(SpMMConfig.self, from: Data(old.utf8))
        #expect(decoded.unroll == 0 && decoded.rowSplit == 1)
        let roundTrip = try JSONDecoder().decode(SpMMConfig.self, from: JSONEncoder().encode(config))
        #expect(roundTrip == config)
        #expect(throws: ConfigError.self) { try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8.u4") }
    }

    @Test func unrollIsValidatedPerFamily() throws {
        let problem = try makeProblem()
        let tiled = SpMMConfig.tiled(
            subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: false, unroll: 3)
        #expect(configError { try tiled.validate(for: problem) } == .unsupportedUnroll(3))
        var simple = SpMMConfig.simpleCSR()
        simple.unroll = 8
        #expect(configError { try simple.validate(for: problem) } == .fieldNotUsedBySimpleCSR(field: "unroll", value: 8, expected: 0))
        var xTile = SpMMConfig.xTile(subwarpSize: 8, rowsPerBlock: 16, tileWidth: 64, vectorWidth: 4, chunkSize: 64, doubleBuffered: false)
        xTile.unroll = 8
        #expect(configError { try xTile.validate(for: problem) } == .fieldNotUsedByXTile(field: "unroll", value: 8, expected: 0))
        #expect(ConfigError.unsupportedUnroll(3).description.contains("0 (automatic), 1, 2, 4 or 8"))
    }

    @Test func renderedKernelDeclaresItsBlockAndUnroll() throws {
        let config = try SpMMConfig(parsing: "r32.t32.c128.v4.k32.db1.u8")
        let kernel = try KernelGen.render(makeProblem(m: 2048), config)
        #expect(kernel.source.contains("__launch_bounds__(1024, 1)"))
        let half = try KernelGen.render(makeProblem(m: 2048), try SpMMConfig(parsing: "r16.t32.c128.v4.k32.db1"))
        #expect(half.source.contains("__launch_bounds__(512, 2)"))
        #expect(kernel.source.contains("constexpr int kUnroll = 8;"))
        #expect(config.blockDimensions == LaunchDimensions(x: 32, y: 32, z: 1))
        // 256 threads and fewer: no bounds (they only made ptxas spill on sm_80).
        let small = try KernelGen.render(makeProblem(), try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8"))
        #expect(!small.source.contains("__launch_bounds__") && small.source.contains("constexpr int kUnroll = 8;"))
    }

    @Test func spaceAddsUnrolledTwinsWithinTheRegisterRule() throws {
        let problem = try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470)
        let space = KernelGen.configSpace(for: problem)
        let set = Set(space)
        for config in space where config.variant == .tiled {
            let valuesInFlight = config.vectorsPerThread * config.vectorWidth
            if config.unroll == KernelGen.maxUnroll {
                #expect(valuesInFlight * config.unroll <= 64, "\(config) holds too many X values in flight")
                var auto = config
                auto.unroll = 0
                #expect(set.contains(auto), "\(config) has no automatic twin")
            } else if config.unroll == 0, config.macUnroll < KernelGen.maxUnroll, valuesInFlight * 8 <= 64 {
                var twin = config
                twin.unroll = KernelGen.maxUnroll
                #expect(set.contains(twin), "\(config) has no unroll-8 twin")
            }
        }
        #expect(space.contains(try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8")))
    }

    @Test func wideBlocksAreInTheSpaceWhereTilesAreNarrowerThanM() throws {
        let transformer = try makeProblem(n: 512, k: 512, m: 2048, nnz: 26_214, maxRowLength: 90)
        let wide = KernelGen.configSpace(for: transformer).filter { $0.threadsPerBlock >= 512 }
        #expect(wide.contains(try SpMMConfig(parsing: "r32.t32.c128.v4.k32.db1")))
        for config in wide {
            #expect(config.tileWidth < transformer.m)
            #expect(config.estimatedRegisters <= config.registerBudget(transformer.device))
            let grid = config.gridDimensions(for: transformer)
            #expect(grid.x * grid.y >= transformer.device.multiprocessorCount)
        }
        // One tile covers m = 256 of a 64-row problem: no wide configs there (and too few blocks).
        let small = try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30)
        #expect(!KernelGen.configSpace(for: small).contains { $0.threadsPerBlock >= 512 })
    }

    @Test func portfolioIsValidWhereVectorsFit() throws {
        // Rows long enough for the 8-way splits (8 chunks of 32).
        let problem = try makeProblem(n: 2048, k: 512, m: 256, nnz: 104_858, maxRowLength: 400)
        let portfolio = KernelGen.portfolio(for: problem)
        #expect(portfolio.count == KernelGen.measuredPortfolio.count)
        #expect(KernelGen.portfolio(for: try makeProblem(m: 3)).isEmpty)  // no 4-wide vectors for m = 3
    }
}
