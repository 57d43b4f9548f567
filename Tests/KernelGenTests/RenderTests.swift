import Foundation
import SparseFormats
import Testing
import Tuner

@testable import KernelGen

@Suite struct RenderTests {
    @Test func headerNamesProblemAndConfig() throws {
        let kernel = try KernelGen.render(makeProblem(), baseTiled)
        let firstLine = kernel.source.split(separator: "\n", maxSplits: 1)[0]
        #expect(firstLine == "// spmm n=2048 k=512 m=256 nnz=104858 dtype=f32 cfg=r4.t8.c64.v4.k32.db1 pattern=9f2c41e00badcafe")
        #expect(kernel.entryPoint == "sparrow_spmm_f32_r4_t8_c64_v4_k32_db1")
        #expect(kernel.source.contains("extern \"C\" __global__ void\n\(kernel.entryPoint)("))
        #expect(kernel.generatorVersion == KernelGen.generatorVersion)
        #expect(kernel.minimumComputeCapability == ComputeCapability(major: 8, minor: 0))
    }

    @Test func geometryComesFromProblemAndConfig() throws {
        // n = 2049 rows in blocks of 4 -> 513 (the last block has one live subwarp);
        // m = 260 in tiles of 64 -> 5 (the last tile has 4 live columns).
        let kernel = try KernelGen.render(makeProblem(n: 2049, m: 260), baseTiled)
        #expect(kernel.grid == LaunchDimensions(x: 513, y: 5))
        #expect(kernel.block == LaunchDimensions(x: 8, y: 4))
        // 4 subwarps x (2 x 32 + 8 pad) x (4 + 4) bytes.
        #expect(kernel.dynamicSharedMemoryBytes == 4 * 72 * 8)
        let simple = try KernelGen.render(makeProblem(n: 2049, m: 260), .simpleCSR(threadsPerRow: 32, rowsPerBlock: 8))
        #expect(simple.grid == LaunchDimensions(x: 9, y: 257))
        #expect(simple.block == LaunchDimensions(x: 32, y: 8))
        #expect(simple.dynamicSharedMemoryBytes == 0)
    }

    @Test func parametersFollowTheProblem() throws {
        let plain = try KernelGen.render(makeProblem(type: .f16), baseTiled)
        #expect(plain.parameters.map(\.name) == ["n", "m", "rowOffsets", "columnIndices", "values", "x", "y"])
        #expect(plain.parameters.map(\.kind) == [.int32, .int32, .pointerInt32, .pointerInt32, .pointerF16, .pointerF16, .pointerF16])
        #expect(plain.parameters.filter(\.isOutput).map(\.name) == ["y"])
        let fused = try KernelGen.render(makeProblem(type: .bf16, epilogue: .bias, ordering: .byLengthDescending), baseTiled)
        #expect(fused.parameters.map(\.name) == ["n", "m", "rowOffsets", "columnIndices", "values", "x", "bias", "rowOrder", "y"])
        #expect(fused.parameters[6].kind == .pointerBF16 && fused.parameters[7].kind == .pointerInt32)
        #expect(fused.parameters.map(\.role) == [.rows, .columnsOfX, .rowOffsets, .columnIndices, .values, .x, .bias, .rowOrder, .y])
        #expect(fused.parameters.map(\.name) == fused.parameters.map(\.role.cName))
        #expect(fused.parameters.filter(\.isOutput).map(\.role) == [.y])
        #expect(fused.source.contains("__ldg(rowOrder + slot)") && fused.source.contains("bias[row]"))
        #expect(!plain.source.contains("rowOrder") && !plain.source.contains("bias"))
    }

    @Test func renderRefusesInvalidConfigs() throws {
        #expect(configError { _ = try KernelGen.render(makeProblem(m: 3), baseTiled) } == .vectorWidthMisaligned(width: 4, m: 3))
    }

    @Test func renderIsDeterministicAndDistinct() throws {
        let problem = try makeProblem()
        let space = SpMMSpace().configs(for: problem)
        var sources = Set<String>()
        for config in space {
            let kernel = try KernelGen.render(problem, config)
            #expect(kernel == (try KernelGen.render(problem, config)))
            sources.insert(kernel.source)
            // Outside comments, braces and parentheses balance: a cheap guard against a broken hole.
            let code = kernel.source.split(separator: "\n").map { $0.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false)[0] }.joined()
            #expect(code.filter { $0 == "{" }.count == code.filter { $0 == "}" }.count, "\(config)")
            #expect(code.filter { $0 == "(" }.count == code.filter { $0 == ")" }.count, "\(config)")
        }
        #expect(sources.count == space.count)
    }

    @Test func includesMatchTheElementType() throws {
        #expect(try KernelGen.render(makeProblem(type: .f16), baseTiled).source.contains("#include <cuda_fp16.h>"))
        #expect(try KernelGen.render(makeProblem(type: .bf16), baseTiled).source.contains("#include <cuda_bf16.h>"))
        #expect(!(try KernelGen.render(makeProblem(type: .f32), baseTiled).source.contains("#include")))
    }

    @Test func kernelSourceIsCodable() throws {
        let kernel = try KernelGen.render(makeProblem(epilogue: .biasReLU), baseTiled)
        let copy = try JSONDecoder().decode(KernelSource.self, from: JSONEncoder().encode(kernel))
        #expect(copy == kernel)
    }
}
