import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The `unroll` knob (X loads in flight per thread) and the wide (512 / 1024 thread) blocks;
/// their place in the search space is tested in TunerTests.
@Suite struct UnrollAndWideBlockTests {
    @Test func unrollIsNamedParsedAndDecoded() throws {
        for text in ["r8.t32.c256.v4.k64.db0.u8", "r2.t32.c128.v4.k32.db0.s2.u8", "r32.t32.c128.v4.k32.db1"] {
            #expect(try SpMMConfig(parsing: text).description == text)
        }
        let config = try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8")
        let tiled = try #require(config.asTiled)
        #expect(tiled.unroll == 8 && tiled.macUnroll == 8 && config.identifier == "r8_t32_c256_v4_k64_db0_u8")
        // The rule's unroll without the knob: 16 / (2 vectors x 4) = 2.
        #expect(try TiledConfig(parsing: "r8.t32.c256.v4.k64.db0").macUnroll == 2)
        // JSON holds the id; the family config alone encodes its fields.
        #expect(String(decoding: try JSONEncoder().encode(config), as: UTF8.self) == #""r8.t32.c256.v4.k64.db0.u8""#)
        #expect(try JSONDecoder().decode(SpMMConfig.self, from: JSONEncoder().encode(config)) == config)
        #expect(try JSONDecoder().decode(TiledConfig.self, from: JSONEncoder().encode(tiled)) == tiled)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SpMMConfig.self, from: Data(#""r8.t32""#.utf8)) }
        #expect(throws: ConfigError.self) { try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8.u4") }
    }

    @Test func unrollIsValidated() throws {
        let problem = try makeProblem()
        let tiled = SpMMConfig.tiled(
            subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: false, unroll: 3)
        #expect(configError { try tiled.validate(for: problem) } == .unsupportedUnroll(3))
        // Only the tiled family has the knob: other families' ids do not parse with it.
        #expect(configError { _ = try SpMMConfig(parsing: "simple.r8.t32.u8") } == .unparsable("simple.r8.t32.u8"))
        #expect(configError { _ = try SpMMConfig(parsing: "xtile.r16.t8.c64.v4.k64.db0.u8") } == .unparsable("xtile.r16.t8.c64.v4.k64.db0.u8"))
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
        // The header's desk check names what the code emits.
        #expect(kernel.source.contains("kUnroll = 8;"))
        // 256 threads and fewer: no bounds (they only made ptxas spill on sm_80).
        let small = try KernelGen.render(makeProblem(), try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0.u8"))
        #expect(!small.source.contains("__launch_bounds__") && small.source.contains("constexpr int kUnroll = 8;"))
    }
}
