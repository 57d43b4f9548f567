import CUDA
import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The encoder's tensor-core linear kernels (KernelGen/Elementwise/EncoderKernels+TensorCoreLinear.swift):
/// geometry, stages and shared memory, the refused configurations, and NVRTC compiles to CUBIN
/// for sm_90 without spills. Their results are checked on the GPU by the encoder self-test
/// (`sparrow selftest --device gpu --encoder-only`, every tensor-core form against the CPU encoder).
struct EncoderTensorCoreLinearTests {
    static let shapes: [EncoderShape] = [
        // MiniLM (384, FFN 1536) fp16 and bf16, the self-test's small BERT (64, FFN 128), BERT-base (768, FFN 3072).
        EncoderShape(hidden: 384, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f16),
        EncoderShape(hidden: 384, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .bf16),
        EncoderShape(hidden: 64, heads: 2, bucket: 64, layerNormEpsilon: 1e-12, elementType: .f16),
        EncoderShape(hidden: 768, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f16),
    ]

    static let configs = [
        EncoderTensorCoreConfig(tokens: 16, rows: 64, kSplit: 2), EncoderTensorCoreConfig(tokens: 32, rows: 64, kSplit: 2),
        EncoderTensorCoreConfig(tokens: 16, rows: 32, kSplit: 4), EncoderTensorCoreConfig(tokens: 32, rows: 32, kSplit: 1),
        EncoderTensorCoreConfig(tokens: 16, rows: 64, kSplit: 8, chunkK: 256), EncoderTensorCoreConfig(tokens: 16, rows: 32, kSplit: 8, chunkK: 512),
    ]

    static func kernels(_ shape: EncoderShape, tokens: Int) throws -> [KernelSource] {
        try configs.flatMap { config in
            try [
                EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 3 * shape.hidden), tokens: tokens, config: config),
                EncoderKernels.tensorCoreLinear(shape, kind: .biasGELU(outputs: 4 * shape.hidden), tokens: tokens, config: config),
                EncoderKernels.tensorCoreLinear(shape, kind: .residualLayerNorm(inputs: shape.hidden), tokens: tokens, config: config),
                EncoderKernels.tensorCoreLinear(shape, kind: .residualLayerNorm(inputs: 4 * shape.hidden), tokens: tokens, config: config),
            ]
        }
    }

    @Test func geometryStagesAndSharedMemoryFollowTheConfig() throws {
        let shape = Self.shapes[0], config = EncoderTensorCoreConfig(tokens: 16, rows: 64, kSplit: 2)
        // QKV: 1152 / 64 = 18 row tiles x 128 / 16 = 8 token groups; 4 m16 tiles x 2 warps; K = 384: 6 chunks, all in flight.
        let qkv = try EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 1152), tokens: 128, config: config)
        let stage = 2 * (64 * 72 + 64 * 24)
        #expect(qkv.grid.x == 18 * 8 && qkv.block.x == 8 * 32)
        #expect(qkv.dynamicSharedMemoryBytes == 6 * stage + 4 * 2 * 64 * 16)
        #expect(qkv.entryPoint == "sparrow_tc_projection_n1152_f16_h384_g16_r64_ks2_kc64_s6")
        #expect(!qkv.source.contains("__cluster_dims__") && qkv.minimumComputeCapability == ComputeCapability(major: 9, minor: 0))
        #expect(qkv.requiredPointerAlignment == 16)
        // FFN down: hidden 384 over clusters of 8 (48 rows, 3 m16 tiles x 2 warps); K = 1536: 24 chunks, 8 in flight.
        let down = try EncoderKernels.tensorCoreLinear(shape, kind: .residualLayerNorm(inputs: 1536), tokens: 128, config: config)
        #expect(down.grid.x == 8 * 8 && down.block.x == 6 * 32)
        #expect(down.dynamicSharedMemoryBytes == 8 * 2 * (48 * 72 + 64 * 24) + 4 * (2 * 48 * 16 + 48 * 16 + 4 * 16))
        #expect(down.source.contains("__cluster_dims__(kChunks, 1, 1)") && down.source.contains("cluster_layernorm("))
        #expect(down.entryPoint == "sparrow_tc_layernorm_k1536_f16_h384_g16_c8_ks2_kc64_s8")
        // The GELU is the SpMM epilogue's expression (one definition); W's first chunks are copied before the wait.
        let up = try EncoderKernels.tensorCoreLinear(shape, kind: .biasGELU(outputs: 1536), tokens: 128, config: config)
        #expect(up.source.contains(KernelGen.epilogueExpression(.biasGELU, "a")))
        let body = try #require(up.source.components(separatedBy: up.entryPoint + "(").last)
        let copyW = try #require(body.range(of: "stage_w(stage + s * kStageElems")), wait = try #require(body.range(of: "wait_for_previous_grid();"))
        let copyX = try #require(body.range(of: "stage_x("))
        #expect(copyW.lowerBound < wait.lowerBound && wait.lowerBound < copyX.lowerBound)
        // The self-test's hidden 64 takes clusters of 4 (16 rows each); 32 tokens a block at T = 128: 4 token groups.
        var small = shape
        small.hidden = 64
        let norm = try EncoderKernels.tensorCoreLinear(small, kind: .residualLayerNorm(inputs: 64), tokens: 128, config: EncoderTensorCoreConfig(tokens: 32))
        #expect(norm.grid.x == 4 * 4 && norm.block.x == 1 * 2 * 32 && norm.entryPoint.hasSuffix("_c4_ks2_kc64_s1"))
        #expect(EncoderTensorCoreConfig(chunks: 8).clusterSize(hidden: 384) == 8 && EncoderTensorCoreConfig().clusterSize(hidden: 40) == nil)
        // Chunks: the largest multiple of 64 <= chunkK dividing K; stages as many as fit (at most 8).
        let wide = EncoderTensorCoreConfig(tokens: 16, rows: 64, kSplit: 8, chunkK: 512)
        #expect(wide.chunk(inputs: 384) == 384 && wide.chunk(inputs: 1536) == 512 && EncoderTensorCoreConfig(chunkK: 256).chunk(inputs: 384) == 192)
        let wideDown = try EncoderKernels.tensorCoreLinear(shape, kind: .residualLayerNorm(inputs: 1536), tokens: 128, config: wide)
        let epilogue = 4 * (8 * 48 * 16 + 48 * 16 + 4 * 16), wideStage = 2 * (48 * 520 + 512 * 24)
        #expect(wideDown.entryPoint.hasSuffix("_c8_ks8_kc512_s2") && wideDown.block.x == 3 * 8 * 32)
        #expect(wideDown.dynamicSharedMemoryBytes == 2 * wideStage + epilogue && 3 * wideStage + epilogue > EncoderKernels.fusedSharedLimit)
    }

    @Test func configurationsOutsideTheKernelsAreRefused() {
        let shape = Self.shapes[0]
        var fp32 = shape
        fp32.elementType = .f32
        #expect(throws: EncoderFusedConfigError.tensorCoreElementType(.f32)) {
            try EncoderKernels.tensorCoreLinear(fp32, kind: .projection(outputs: 1152), tokens: 128, config: EncoderTensorCoreConfig())
        }
        #expect(throws: EncoderFusedConfigError.tensorCoreTokens(8)) {
            try EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 1152), tokens: 128, config: EncoderTensorCoreConfig(tokens: 8))
        }
        #expect(throws: EncoderFusedConfigError.tensorCoreRows(48)) {
            try EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 1152), tokens: 128, config: EncoderTensorCoreConfig(rows: 48))
        }
        #expect(throws: EncoderFusedConfigError.tensorCoreInputs(384, chunk: 64)) {
            try EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 1152), tokens: 128, config: EncoderTensorCoreConfig(chunkK: 32))
        }
        #expect(throws: EncoderFusedConfigError.tensorCoreKSplit(3)) {
            try EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 1152), tokens: 128, config: EncoderTensorCoreConfig(kSplit: 3))
        }
        #expect(throws: EncoderFusedConfigError.tokensNotDivisible(tokens: 136, group: 16)) {
            try EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 1152), tokens: 136, config: EncoderTensorCoreConfig())
        }
        #expect(throws: EncoderFusedConfigError.rowsNotDivisible(rows: 1160, chunks: 18)) {
            try EncoderKernels.tensorCoreLinear(shape, kind: .projection(outputs: 1160), tokens: 128, config: EncoderTensorCoreConfig())
        }
        #expect(throws: EncoderFusedConfigError.tensorCoreInputs(1540, chunk: 64)) {
            try EncoderKernels.tensorCoreLinear(shape, kind: .residualLayerNorm(inputs: 1540), tokens: 128, config: EncoderTensorCoreConfig())
        }
        var odd = shape
        odd.hidden = 40
        #expect(throws: EncoderFusedConfigError.tensorCoreCluster(hidden: 40)) {
            try EncoderKernels.tensorCoreLinear(odd, kind: .residualLayerNorm(inputs: 64), tokens: 128, config: EncoderTensorCoreConfig())
        }
        // hidden 8192 over clusters of 8: 1024 rows a block, 64 m16 tiles: over 32 warps at any k split.
        var wide = shape
        wide.hidden = 8192
        #expect(throws: EncoderFusedConfigError.tensorCoreWarps(64)) {
            try EncoderKernels.tensorCoreLinear(wide, kind: .residualLayerNorm(inputs: 256), tokens: 128, config: EncoderTensorCoreConfig(kSplit: 4))
        }
        // hidden 2048: 256 rows a block, 16 m16 tiles, so the k split of 8 comes down to 2 (32 warps).
        wide.hidden = 2048
        let split = try? EncoderKernels.tensorCoreLinear(wide, kind: .residualLayerNorm(inputs: 256), tokens: 128, config: EncoderTensorCoreConfig(kSplit: 8))
        #expect(split?.block.x == 32 * 32 && split?.entryPoint.contains("_ks2_") == true)
    }

    @Test func sourcesNameWhatTheyWereGeneratedFor() throws {
        for shape in Self.shapes {
            for kernel in try Self.kernels(shape, tokens: 2 * shape.bucket) {
                #expect(kernel.source.hasPrefix("// sparrow encoder kernel tensor-core "))
                #expect(kernel.source.contains("dtype=\(shape.elementType.rawValue)"))
                #expect(kernel.source.contains("mma.sync.aligned.m16n8k16.row.col.f32.\(shape.elementType == .bf16 ? "bf16.bf16" : "f16.f16").f32"))
                #expect(kernel.dynamicSharedMemoryBytes <= EncoderKernels.fusedSharedLimit)
            }
        }
    }

    @Test(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
    func everyTensorCoreKernelCompilesForSM90WithoutSpills() throws {
        let kernels = try Self.shapes.flatMap { try Self.kernels($0, tokens: 2 * $0.bucket) }
        let failures = try corpusNVRTC.get().sm90Failures(kernels)
        #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
    }
}
