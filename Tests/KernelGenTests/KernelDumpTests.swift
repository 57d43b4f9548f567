import Foundation
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

/// Writes a sample of rendered kernels (every knob value, every dtype and epilogue) to the folder
/// named by `SPARROW_DUMP_KERNELS`, for reading or compiling by hand (`NVRTCCompileAllTests`
/// compiles every kernel). Without the variable it only checks that the sample renders and covers
/// the knobs.
@Suite struct KernelDumpTests {
    static func sample() throws -> [(SpMMProblem, SpMMConfig)] {
        let problems = [
            try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470),
            try makeProblem(n: 4096, k: 4096, m: 512, nnz: 1_677_722, maxRowLength: 470, type: .f16, epilogue: .biasReLU),
            try makeProblem(n: 1000, k: 333, m: 96, nnz: 20_000, maxRowLength: 300, type: .bf16, ordering: .byLengthDescending),
            try makeProblem(n: 77, k: 5, m: 3, nnz: 100, maxRowLength: 5, epilogue: .reLU, device: .sm80),
            try makeProblem(n: 5, k: 7, m: 1, nnz: 0, maxRowLength: 0, type: .f16, epilogue: .bias),
            try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760, epilogue: .biasReLU),
            try makeProblem(n: 7, k: 4096, m: 96, nnz: 4096 + 6, maxRowLength: 4096, type: .bf16, ordering: .byLengthDescending),
        ]
        var sample: [(SpMMProblem, SpMMConfig)] = []
        for problem in problems {
            let space = KernelCorpus.space.configs(for: problem)
            // Every 7th member plus the extremes and the top of the ranking: all knob values, a manageable count.
            var picked = Set<SpMMConfig>()
            for (index, config) in space.enumerated() where index % 7 == 0 { picked.insert(config) }
            let tiled = space.compactMap(\.asTiled)
            for key in [\TiledConfig.subwarpSize, \.vectorWidth, \.chunkSize, \.tileWidth, \.rowsPerBlock, \.rowSplit] {
                for value in Set(tiled.map { $0[keyPath: key] }) {
                    if let config = tiled.first(where: { $0[keyPath: key] == value && $0.doubleBuffered }) { picked.insert(.tiled(config)) }
                    if let config = tiled.first(where: { $0[keyPath: key] == value && !$0.doubleBuffered }) { picked.insert(.tiled(config)) }
                }
            }
            picked.formUnion(DiversifiedRanking().ranked(space, for: problem, limit: 8))
            sample += picked.sorted { $0.description < $1.description }.map { (problem, $0) }
        }
        return sample
    }

    @Test func dumpSample() throws {
        let sample = try Self.sample()
        #expect(sample.count > 50)
        #expect(Set(sample.compactMap { $0.1.asTiled?.vectorWidth }) == [1, 2, 4, 8])
        #expect(Set(sample.map { $0.0.elementType }) == [.f32, .f16, .bf16])
        #expect(Set(sample.map { $0.1.asTiled?.rowSplit ?? 1 }) == [1, 2, 4, 8, 16])
        let folder = ProcessInfo.processInfo.environment["SPARROW_DUMP_KERNELS"].map { URL(fileURLWithPath: $0) }
        if let folder { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        for (index, (problem, config)) in sample.enumerated() {
            let kernel = try KernelGen.render(problem, config)
            #expect(kernel.source.hasPrefix("// spmm n=\(problem.n) "))
            if let folder {
                let name = String(format: "%03d-%@-%@.cu", index, problem.elementType.rawValue, config.identifier)
                try kernel.source.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
    }
}
