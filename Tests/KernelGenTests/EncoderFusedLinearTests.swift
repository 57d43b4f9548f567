import CUDA
import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The fused sparse linear kernels of the encoder's fused-CSR form (KernelGen/Elementwise/
/// EncoderKernels+FusedLinear.swift): geometry, shared memory, the refused configurations, and
/// NVRTC compiles to CUBIN for sm_90 without spills. Their results are checked on the GPU by the
/// encoder self-test (`sparrow selftest --device gpu --encoder-only`), against the CPU encoder.
struct EncoderFusedLinearTests {
    static let shapes: [EncoderShape] = [
        // MiniLM (384, FFN 1536) fp16 and fp32, the self-test's small BERT (64, FFN 128), BERT-base (768, FFN 3072) fp16.
        EncoderShape(hidden: 384, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f16),
        EncoderShape(hidden: 384, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f32),
        EncoderShape(hidden: 64, heads: 2, bucket: 64, layerNormEpsilon: 1e-12, elementType: .f16),
        EncoderShape(hidden: 768, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f16),
    ]

    static func kernels(_ shape: EncoderShape, tokens: Int) throws -> [KernelSource] {
        try EncoderFusedConfig.tokenGroups.flatMap { group in [16, 8].map { EncoderFusedConfig(tokens: group, warps: $0) } }.flatMap { config in
            try [
                EncoderKernels.fusedLinear(shape, kind: .projection(outputs: 3 * shape.hidden), tokens: tokens, config: config),
                EncoderKernels.fusedLinear(shape, kind: .attentionOutput, tokens: tokens, config: config),
                EncoderKernels.fusedLinear(shape, kind: .feedForward(intermediate: 4 * shape.hidden), tokens: tokens, config: config),
            ]
        }
    }

    @Test func geometryAndSharedMemoryFollowTheTokenGroup() throws {
        let shape = Self.shapes[0]
        let config = EncoderFusedConfig(tokens: 8)
        let ffn = try EncoderKernels.fusedLinear(shape, kind: .feedForward(intermediate: 1536), tokens: 128, config: config)
        // 16 token groups x 8 chunks; xs 384 x 8, hs 1536 x 8, ys 48 x 8, stats 4 x 8 floats.
        #expect(ffn.grid.x == 128 && ffn.block.x == 512)
        #expect(ffn.dynamicSharedMemoryBytes == 4 * (384 * 8 + 1536 * 8 + 48 * 8 + 4 * 8))
        #expect(ffn.minimumComputeCapability == ComputeCapability(major: 9, minor: 0))
        #expect(ffn.source.contains("__cluster_dims__(kChunks, 1, 1)") && ffn.source.contains("constexpr int kInterRows = kInter / kChunks;"))
        let projection = try EncoderKernels.fusedLinear(shape, kind: .projection(outputs: 1152), tokens: 128, config: EncoderFusedConfig(tokens: 4))
        #expect(projection.grid.x == 8 * 32 && projection.dynamicSharedMemoryBytes == 4 * 384 * 4)
        #expect(!projection.source.contains("__cluster_dims__") && !projection.source.contains("cluster_rank"))
        let output = try EncoderKernels.fusedLinear(shape, kind: .attentionOutput, tokens: 256, config: config)
        #expect(output.grid.x == 8 * 32 && output.dynamicSharedMemoryBytes == 4 * (384 * 8 + 48 * 8 + 4 * 8))
        #expect(output.entryPoint == "sparrow_fused_attention_output_layernorm_f16_h384_g8_c8_w16")
        // The GELU is the SpMM epilogue's expression (one definition).
        #expect(ffn.source.contains(KernelGen.epilogueExpression(.biasGELU, "a")))
    }

    @Test func configurationsOutsideTheKernelsAreRefused() {
        let shape = Self.shapes[0]
        #expect(throws: EncoderFusedConfigError.tokensPerBlock(16)) {
            try EncoderKernels.fusedLinear(shape, kind: .attentionOutput, tokens: 128, config: EncoderFusedConfig(tokens: 16))
        }
        #expect(throws: EncoderFusedConfigError.chunks(16)) {
            try EncoderKernels.fusedLinear(shape, kind: .attentionOutput, tokens: 128, config: EncoderFusedConfig(tokens: 8, chunks: 16))
        }
        #expect(throws: EncoderFusedConfigError.warps(4, tokens: 8)) {
            try EncoderKernels.fusedLinear(shape, kind: .attentionOutput, tokens: 128, config: EncoderFusedConfig(tokens: 8, warps: 4))
        }
        #expect(throws: EncoderFusedConfigError.tokensNotDivisible(tokens: 100, group: 8)) {
            try EncoderKernels.fusedLinear(shape, kind: .attentionOutput, tokens: 100, config: EncoderFusedConfig(tokens: 8))
        }
        #expect(throws: EncoderFusedConfigError.rowsNotDivisible(rows: 1540, chunks: 8)) {
            try EncoderKernels.fusedLinear(shape, kind: .feedForward(intermediate: 1540), tokens: 128, config: EncoderFusedConfig(tokens: 8))
        }
        // hidden 1024, FFN 8192, 8 tokens: (1024 + 8192 + 128 + 4) x 8 floats = 299 KB.
        var wide = shape
        wide.hidden = 1024
        #expect(throws: EncoderFusedConfigError.sharedMemory(4 * 8 * (1024 + 8192 + 128 + 4), limit: 227 * 1024)) {
            try EncoderKernels.fusedLinear(wide, kind: .feedForward(intermediate: 8192), tokens: 128, config: EncoderFusedConfig(tokens: 8))
        }
    }

    @Test func sourcesNameWhatTheyWereGeneratedForAndWaitFirst() throws {
        for shape in Self.shapes {
            for kernel in try Self.kernels(shape, tokens: 2 * shape.bucket) {
                #expect(kernel.source.hasPrefix("// sparrow encoder kernel sparse "))
                #expect(kernel.source.contains("dtype=\(shape.elementType.rawValue)"))
                #expect(!kernel.source.contains("ENTRY") && !kernel.source.contains("BOUNDS"))
                let afterSignature = kernel.source.components(separatedBy: kernel.entryPoint + "(").last?.components(separatedBy: ") {\n").dropFirst().first
                #expect(afterSignature?.trimmingCharacters(in: .whitespaces).hasPrefix("wait_for_previous_grid();") == true, "\(kernel.entryPoint)")
            }
        }
    }

    @Test(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
    func everyFusedKernelCompilesForSM90WithoutSpills() throws {
        let kernels = try Self.shapes.flatMap { try Self.kernels($0, tokens: 2 * $0.bucket) }
        let failures = try corpusNVRTC.get().sm90Failures(kernels)
        #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
    }
}

extension NVRTC {
    /// What went wrong compiling each of `kernels` to CUBIN for sm_90: an error, no ptxas
    /// report, or spills (empty when all compiled cleanly).
    func sm90Failures(_ kernels: [KernelSource]) -> [String] {
        kernels.compactMap { kernel in
            do {
                let compiled = try compile(kernel.source, name: "\(kernel.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: 90))
                guard let usage = compiled.resources(of: kernel.entryPoint) else { return "\(kernel.entryPoint): no ptxas report" }
                return usage.spills ? "\(kernel.entryPoint): spills \(usage.spillStoreBytes)/\(usage.spillLoadBytes) B" : nil
            } catch {
                return "\(kernel.entryPoint): \(error)"
            }
        }
    }
}
