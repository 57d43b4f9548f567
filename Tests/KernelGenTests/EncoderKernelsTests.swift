import CUDA
import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The encoder's kernels (KernelGen/Elementwise) and the SpMM families' new epilogues: shape
/// rules, parameters, and NVRTC compiles to CUBIN for sm_80 and sm_90 without spills.
struct EncoderKernelsTests {
    static let shapes: [EncoderShape] = [
        // all-MiniLM-L6-v2 (hidden 384, 12 heads of 32) and BERT-base (768, 12 heads of 64), short and long buckets.
        EncoderShape(hidden: 384, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f32),
        EncoderShape(hidden: 384, heads: 12, bucket: 32, layerNormEpsilon: 1e-12, elementType: .f16),
        EncoderShape(hidden: 768, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f16),
        EncoderShape(hidden: 768, heads: 12, bucket: 512, layerNormEpsilon: 1e-5, elementType: .f32),
    ]

    static func kernels(_ shape: EncoderShape) -> [KernelSource] {
        [
            EncoderKernels.layerNorm(shape, tokens: 3 * shape.bucket, gather: true),
            EncoderKernels.layerNorm(shape, tokens: 3 * shape.bucket, gather: false),
            EncoderKernels.layerNorm(shape, tokens: 3 * shape.bucket, input: .biasResidual),
            EncoderKernels.layerNorm(shape, tokens: 3 * shape.bucket, input: .biasResidual, tokensPerBlock: 8),
            EncoderKernels.layerNorm(shape, tokens: 3 * shape.bucket, input: .gather, tokensPerBlock: 16),
            EncoderKernels.layerNorm(shape, tokens: 3 * shape.bucket, input: .biasResidual, tokensPerBlock: 2),
            EncoderKernels.layerNorm(shape, tokens: 3 * shape.bucket, input: .plain, tokensPerBlock: 4),
            EncoderKernels.attention(shape, batch: 3),
            EncoderKernels.attention(shape, batch: 3, config: EncoderAttentionConfig(queriesPerBlock: 8, warps: 8, qkvBias: true)),
            EncoderKernels.attention(shape, batch: 3, config: EncoderAttentionConfig(queriesPerBlock: 4, warps: 4, qkvBias: false)),
            EncoderKernels.maskedSoftmax(shape, batch: 3),
            EncoderKernels.meanPool(shape, batch: 3, normalize: true),
            EncoderKernels.meanPool(shape, batch: 3, normalize: false),
        ] + [Epilogue.bias, .biasGELU, .biasResidual].map {
            EncoderKernels.biasEpilogue(type: shape.elementType, epilogue: $0, rows: shape.hidden, tokens: 3 * shape.bucket)
        }
    }

    @Test func shapesOutsideTheKernelsAreRefused() {
        let good = Self.shapes[0]
        var shape = good
        shape.hidden = 400
        #expect(throws: EncoderShapeError.hiddenNotMultipleOf32(400)) { try EncoderKernels.validate(shape) }
        shape = good
        shape.heads = 24  // head size 16
        #expect(throws: EncoderShapeError.headSizeNotMultipleOf32(16)) { try EncoderKernels.validate(shape) }
        shape = good
        shape.bucket = 100
        #expect(throws: EncoderShapeError.bucketNotMultipleOf32(100)) { try EncoderKernels.validate(shape) }
        shape.bucket = 1024
        #expect(throws: EncoderShapeError.bucketTooLong(1024, limit: 512)) { try EncoderKernels.validate(shape) }
        shape = good
        shape.elementType = .bf16
        #expect(throws: EncoderShapeError.unsupportedElementType(.bf16)) { try EncoderKernels.validate(shape) }
        for shape in Self.shapes { #expect(throws: Never.self) { try EncoderKernels.validate(shape) } }
    }

    @Test func launchGeometryCoversEveryTokenAndQuery() {
        let shape = Self.shapes[2]
        let norm = EncoderKernels.layerNorm(shape, tokens: 1000, gather: false)
        #expect(norm.grid.x * 32 >= 1000 && (norm.grid.x - 1) * 32 < 1000)
        #expect(norm.block.x == 32 && norm.block.y == 32)  // 768 features: 32 groups of 24
        #expect(EncoderKernels.layerNormGroups(hidden: 384) == 32 && EncoderKernels.layerNormGroups(hidden: 200) == 8)
        let attention = EncoderKernels.attention(shape, batch: 5)
        #expect(attention.grid.x * EncoderKernels.queriesPerBlock == shape.bucket)
        #expect(attention.grid.y == 12 && attention.grid.z == 5)
        // K and V (S x 65 each) + 4 warps x (S + 64) + mask (S) floats.
        #expect(attention.dynamicSharedMemoryBytes == 4 * (2 * 128 * 65 + 4 * (128 + 64) + 128))
        // One query a warp: 8 queries over 8 warps (16 blocks a head) and 4 over 4 (32).
        let q8 = EncoderKernels.attention(shape, batch: 5, config: EncoderAttentionConfig(queriesPerBlock: 8, warps: 8, qkvBias: true))
        #expect(q8.grid.x == 16 && q8.block.x == 256 && q8.dynamicSharedMemoryBytes == 4 * (2 * 128 * 65 + 8 * (128 + 64) + 128))
        #expect(q8.requiredPointerAlignment == 4)  // pairs of fp16
        let q4 = EncoderKernels.attention(Self.shapes[0], batch: 1, config: EncoderAttentionConfig(queriesPerBlock: 4, warps: 4, qkvBias: false))
        #expect(q4.grid.x == 32 && q4.block.x == 128 && q4.requiredPointerAlignment == 8)  // pairs of fp32
        let residualNorm = EncoderKernels.layerNorm(shape, tokens: 1000, input: .biasResidual)
        #expect(residualNorm.grid == norm.grid && residualNorm.block == norm.block)
        // 8 tokens a block: 1000 tokens in 125 blocks of 8 x 32 threads.
        let narrow = EncoderKernels.layerNorm(shape, tokens: 1000, input: .plain, tokensPerBlock: 8)
        #expect(narrow.grid.x == 125 && narrow.block.x == 8 && narrow.block.y == 32 && narrow.entryPoint.hasSuffix("_tb8"))
        let epilogue = EncoderKernels.biasEpilogue(type: .f16, epilogue: .biasResidual, rows: 768, tokens: 100)
        #expect(epilogue.grid.x * 256 >= 768 * 100)
        #expect(EncoderKernels.meanPool(shape, batch: 7, normalize: true).grid.x == 7)
        // 5 x 12 x 128 rows of scores, 4 a block.
        #expect(EncoderKernels.maskedSoftmax(shape, batch: 5).grid.x == 5 * 12 * 128 / 4)
    }

    @Test func sourcesNameWhatTheyWereGeneratedFor() {
        for shape in Self.shapes {
            for kernel in Self.kernels(shape) {
                #expect(kernel.source.hasPrefix("// sparrow encoder kernel "))
                #expect(kernel.source.contains("dtype=\(shape.elementType.rawValue)"))
                #expect(kernel.source.contains("extern \"C\" __global__ void"))
                #expect(kernel.source.contains(kernel.entryPoint + "("))
                // A programmatic dependent launch needs the wait before the first read: the kernel's first statement.
                let afterSignature = kernel.source.components(separatedBy: kernel.entryPoint + "(").last?.components(separatedBy: ") {\n").dropFirst().first
                #expect(afterSignature?.trimmingCharacters(in: .whitespaces).hasPrefix("wait_for_previous_grid();") == true, "\(kernel.entryPoint)")
            }
        }
        // The folded forms' parameters: bias + residual into the norm, the QKV bias into attention.
        let shape = Self.shapes[1]
        let residualNorm = EncoderKernels.layerNorm(shape, tokens: 64, input: .biasResidual).source
        #expect(residualNorm.contains("(const elem_t* y, const elem_t* __restrict__ bias, const elem_t* residual, const elem_t* __restrict__ gamma"))
        #expect(residualNorm.contains("v[i] = to_f32(y[e]) + to_f32(bias[f]) + to_f32(residual[e]);"))
        let biased = EncoderKernels.attention(shape, batch: 1, config: EncoderAttentionConfig(queriesPerBlock: 8, warps: 8, qkvBias: true))
        #expect(biased.entryPoint.hasSuffix("_q8_w8_bias") && biased.source.contains("const elem_t* __restrict__ bias, const int* __restrict__ mask"))
        let plain = EncoderKernels.attention(shape, batch: 1)
        #expect(!plain.source.contains("bias[") && plain.entryPoint.hasSuffix("_q16_w4"))
        #expect(EncoderKernels.floatLiteral(1e-12) == "1e-12f")
        #expect(EncoderKernels.floatLiteral(1) == "1.0f")
    }

    @Test func newEpiloguesAddTheirParameters() throws {
        let gelu = try makeProblem(m: 8, epilogue: .biasGELU)
        let residual = try makeProblem(m: 8, epilogue: .biasResidual)
        #expect(KernelGen.parameters(for: gelu).map(\.role) == [.rows, .columnsOfX, .rowOffsets, .columnIndices, .values, .x, .bias, .y])
        #expect(KernelGen.parameters(for: residual).map(\.role) == [.rows, .columnsOfX, .rowOffsets, .columnIndices, .values, .x, .bias, .residual, .y])
        #expect(KernelGen.epilogueExpression(.biasGELU, "a").contains("erff((a + b) * 0.70710678118654752f)"))
        #expect(KernelGen.epilogueExpression(.biasResidual, "a", residual: "r[t]") == "a + b + r[t]")
        for config: SpMMConfig in [
            .simpleCSR(threadsPerRow: 32, rowsPerBlock: 8),
            .tiled(subwarpSize: 8, rowsPerBlock: 4, tileWidth: 64, vectorWidth: 4, chunkSize: 32, doubleBuffered: false),
        ] {
            let source = try KernelGen.render(residual, config).source
            #expect(source.contains("const elem_t* __restrict__ residual"))
        }
    }

    @Test(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
    func everyEncoderKernelCompilesForSM80AndSM90WithoutSpills() throws {
        let nvrtc = try corpusNVRTC.get()
        var failures: [String] = []
        // Every kernel at every shape, on one architecture each: an all-pairs cover of (kernel, shape,
        // architecture), half of compiling everything for both.
        struct Job { var kernel: KernelSource, index: Int, shape: Int, architecture: Int }
        let all = Self.shapes.indices.flatMap { shape in
            Self.kernels(Self.shapes[shape]).enumerated().flatMap { index, kernel in
                [80, 90].map { Job(kernel: kernel, index: index, shape: shape, architecture: $0) }
            }
        }
        let jobs = PairwiseCover.cover(all, key: { "\($0.kernel.entryPoint)/\($0.shape)/\($0.architecture)" }) {
            ["kernel=\($0.index)", "shape=\($0.shape)", "arch=\($0.architecture)"]
        }
        for job in jobs {
            let (kernel, architecture) = (job.kernel, job.architecture)
            do {
                let compiled = try nvrtc.compile(
                    kernel.source, name: "\(kernel.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: architecture))
                let usage = compiled.resources(of: kernel.entryPoint)
                if let usage, usage.spills {
                    failures.append("\(kernel.entryPoint) sm_\(architecture): spills \(usage.spillStoreBytes)/\(usage.spillLoadBytes) B")
                }
                if usage == nil { failures.append("\(kernel.entryPoint) sm_\(architecture): no ptxas report") }
            } catch {
                failures.append("\(kernel.entryPoint) sm_\(architecture): \(error)")
            }
        }
        #expect(jobs.count * 2 <= all.count + 2 * Self.shapes.count)
        #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
    }
}
