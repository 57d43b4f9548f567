import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// Rendered sources compared with files in `Golden/`. A change in the generated text must be
/// deliberate: rerun with `SPARROW_UPDATE_GOLDEN=1` to rewrite the files, review the diff, and
/// bump `KernelGen.generatorVersion`.
@Suite struct GoldenTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let problem: SpMMProblem
        let config: SpMMConfig
        var description: String { name }
    }

    static func cases() throws -> [Case] {
        [
            Case(
                name: "tiled-f32", problem: try makeProblem(),
                config: .tiled(subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: false)),
            Case(
                name: "tiled-f16-db", problem: try makeProblem(m: 512, type: .f16),
                config: .tiled(subwarpSize: 16, rowsPerBlock: 8, tileWidth: 256, vectorWidth: 8, chunkSize: 64, doubleBuffered: true)),
            Case(
                name: "tiled-bf16", problem: try makeProblem(m: 130, type: .bf16, device: .sm80),
                config: .tiled(subwarpSize: 32, rowsPerBlock: 4, tileWidth: 128, vectorWidth: 2, chunkSize: 64, doubleBuffered: true)),
            Case(name: "simple-f32", problem: try makeProblem(m: 3), config: .simpleCSR(threadsPerRow: 32, rowsPerBlock: 8)),
            Case(name: "simple-f16", problem: try makeProblem(m: 17, type: .f16), config: .simpleCSR(threadsPerRow: 16, rowsPerBlock: 8)),
            Case(
                name: "tiled-f32-bias-relu-rowsorted",
                problem: try makeProblem(m: 7, epilogue: .biasReLU, ordering: .byLengthDescending),
                config: .tiled(subwarpSize: 4, rowsPerBlock: 16, tileWidth: 8, vectorWidth: 1, chunkSize: 64, doubleBuffered: true)),
            // A DLMC ResNet-50-like layer: few long rows, each split over 4 subwarps.
            Case(
                name: "tiled-f32-split4-bias-relu",
                problem: try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760, epilogue: .biasReLU),
                config: .tiled(
                    subwarpSize: 32, rowsPerBlock: 2, tileWidth: 128, vectorWidth: 4, chunkSize: 64, doubleBuffered: true,
                    rowSplit: 4)),
            // X-tiled: fp32 single-buffered with a masked copy round and a bank pad (S = 4),
            // rows ordered, bias + ReLU; f16 double-buffered over a uniform 4096 x 4096.
            Case(
                name: "xtile-f32-bias-relu-rowsorted",
                problem: try makeProblem(n: 4096, k: 4096, m: 200, nnz: 1_677_722, maxRowLength: 470, epilogue: .biasReLU, ordering: .byLengthDescending),
                config: .xTile(subwarpSize: 4, rowsPerBlock: 64, tileWidth: 64, vectorWidth: 4, chunkSize: 40, doubleBuffered: false)),
            // The encoder's epilogues: FFN up (bias + exact GELU) and the residual connections.
            Case(
                name: "tiled-f16-bias-gelu", problem: try makeProblem(m: 128, type: .f16, epilogue: .biasGELU),
                config: .tiled(subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 8, chunkSize: 32, doubleBuffered: true)),
            Case(
                name: "simple-f32-bias-residual", problem: try makeProblem(m: 5, epilogue: .biasResidual),
                config: .simpleCSR(threadsPerRow: 32, rowsPerBlock: 8)),
            Case(
                name: "xtile-f32-bias-residual",
                problem: try makeProblem(n: 4096, k: 4096, m: 200, nnz: 1_677_722, maxRowLength: 470, epilogue: .biasResidual),
                config: .xTile(subwarpSize: 4, rowsPerBlock: 64, tileWidth: 64, vectorWidth: 4, chunkSize: 40, doubleBuffered: false)),
            Case(
                name: "xtile-f16-db",
                problem: try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470, type: .f16),
                config: .xTile(subwarpSize: 8, rowsPerBlock: 32, tileWidth: 128, vectorWidth: 8, chunkSize: 64, doubleBuffered: true)),
        ]
    }

    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: try cases())
    func matchesGolden(_ golden: Case) throws {
        let kernel = try KernelGen.render(golden.problem, golden.config)
        let file = Self.goldenFolder.appendingPathComponent(golden.name + ".cu")
        if ProcessInfo.processInfo.environment["SPARROW_UPDATE_GOLDEN"] == "1" {
            try kernel.source.write(to: file, atomically: true, encoding: .utf8)
        }
        // The copied test resource when present, else the source tree (same files).
        let resource = Bundle.module.url(forResource: golden.name, withExtension: "cu", subdirectory: "Golden")
        let expected = try String(contentsOf: resource ?? file, encoding: .utf8)
        if ProcessInfo.processInfo.environment["SPARROW_UPDATE_GOLDEN"] == "1" {
            // The bundle copy is stale until the next build; compare with what was just written.
            #expect(try String(contentsOf: file, encoding: .utf8) == kernel.source)
        } else {
            #expect(expected == kernel.source, "\(golden.name).cu differs; SPARROW_UPDATE_GOLDEN=1 rewrites it")
        }
    }
}
