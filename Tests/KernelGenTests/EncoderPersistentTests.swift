import CUDA
import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The persistent encoder kernel (KernelGen/Elementwise/EncoderKernels+Persistent.swift):
/// geometry, the workspace layout, the refused shapes and configurations by error, and NVRTC
/// compiles to CUBIN for sm_80 and sm_90 without spills. Its results are checked on the GPU by the
/// encoder self-test (`sparrow selftest --device gpu --encoder-only`, the persistent form against
/// the CPU encoder).
struct EncoderPersistentTests {
    static let miniLM = EncoderShape(hidden: 384, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f16)

    @Test func geometryEntryAndWorkspaceFollowTheShape() throws {
        let kernel = try EncoderKernels.persistentEncoder(Self.miniLM, layers: 6, intermediate: 1536, batch: 1, blocks: 132, config: EncoderPersistentConfig())
        #expect(kernel.grid.x == 132 && kernel.block.x == 256 && kernel.dynamicSharedMemoryBytes == 0)
        #expect(kernel.requiredPointerAlignment == 16 && kernel.minimumComputeCapability == ComputeCapability(major: 8, minor: 0))
        // Its grid barriers need every block resident: launched cooperatively (refused, not hung).
        #expect(kernel.coResidentGrid)
        #expect(kernel.entryPoint == "sparrow_persistent_encoder_f16_h384_l6_b1_s128_w32x64n16x32")
        // The last LayerNorm pools; the others do not.
        #expect(kernel.source.contains("else norm_pool_stage(sums,") && kernel.source.contains("if (layer + 1 < kLayers) norm_stage(sums,"))
        #expect(kernel.source.hasPrefix("// sparrow encoder kernel persistent encoder layers=6"))
        // 1 + 7 per layer barriers: one call site each for embed and the stages of the layer loop.
        let barrier = "grid_barrier(barrier, ++passed * gridDim.x);"
        #expect(kernel.source.components(separatedBy: barrier).count - 1 == 8)
        // The epilogues are the SpMM families' expressions (one definition).
        #expect(kernel.source.contains(KernelGen.epilogueExpression(.biasGELU, "s")))
        #expect(kernel.source.contains(KernelGen.epilogueExpression(.biasResidual, "s", residual: "__half2float(x[e])")))
        // Workspace: x, qk, valuesT, context (fp16), sums (fp32), inter (fp16), timeline, 256-byte aligned.
        let (offsets, bytes) = EncoderKernels.persistentWorkspace(hidden: 384, intermediate: 1536, tokens: 128, layers: 6)
        let fp16 = 384 * 128 * 2
        #expect(Array(offsets.prefix(7)) == [0, fp16, 3 * fp16, 4 * fp16, 5 * fp16, 5 * fp16 + 2 * fp16, 5 * fp16 + 2 * fp16 + 1536 * 128 * 2])
        let stages = EncoderKernels.persistentStages(layers: 6)
        #expect(stages.count == 2 + 7 * 6 && stages.first == "embed" && stages.last == "pool")
        #expect(Array(stages[1...7]) == ["qkv", "attend", "output", "norm1", "up", "down", "norm2"])
        #expect(offsets.count == 7 && bytes == offsets[6] + (8 * (stages.count + 1) + 255) / 256 * 256)
        // Zeroed at every launch: the grid counter and the pooled sums.
        #expect(EncoderKernels.persistentZeroedWords(batch: 8, hidden: 384) == 1 + 8 * 384)
        for offset in offsets { #expect(offset % 256 == 0) }
        #expect(kernel.source.contains("workspace + \(offsets[6])"))
        // A timeline mark at the start, after every barrier, and at the end: one more than the stages.
        #expect(kernel.source.components(separatedBy: "mark(timeline, stage").count - 1 == 8 + 2)
    }

    @Test func refusedShapesAndConfigsAreNamed() {
        let config = EncoderPersistentConfig()
        func refusal(_ shape: EncoderShape = EncoderPersistentTests.miniLM, blocks: Int = 132, config: EncoderPersistentConfig = EncoderPersistentConfig()) -> EncoderPersistentError? {
            do {
                _ = try EncoderKernels.persistentEncoder(shape, layers: 2, intermediate: 4 * shape.hidden, batch: 1, blocks: blocks, config: config)
                return nil
            } catch { return error }
        }
        var f32 = Self.miniLM
        f32.elementType = .f32
        #expect(refusal(f32) == .elementType(.f32))
        #expect(refusal(EncoderShape(hidden: 768, heads: 12, bucket: 128, layerNormEpsilon: 1e-12, elementType: .f16)) == .headSize(64))
        #expect(refusal(EncoderShape(hidden: 64, heads: 2, bucket: 64, layerNormEpsilon: 1e-12, elementType: .f16)) == .hiddenNotMultipleOf128(64))
        #expect(refusal(blocks: 0) == .noBlocks)
        #expect(refusal(config: EncoderPersistentConfig(wideTokens: 8)) == .tokenTile(8))
        #expect(refusal(config: EncoderPersistentConfig(narrowFeatures: 48)) == .featureTile(48))
        // 384 outputs over 256-feature tiles; 384 inputs over 8 parts of a 32-feature tile (48 each) is fine, 1536 / 8 too.
        #expect(refusal(config: EncoderPersistentConfig(narrowFeatures: 256)) == .featuresNotDivisible(features: 384, tile: 256))
        var odd = Self.miniLM
        odd.bucket = 16
        #expect(refusal(odd) == .tokensNotDivisible(tokens: 16, tile: 32))
        #expect(refusal(config: config) == nil)
        #expect(EncoderPersistentError.kPartNotMultipleOf16(inputs: 40, parts: 8).description.contains("40"))
    }

    @Test(.enabled(if: (try? corpusNVRTC.get()) != nil, corpusNVRTCSkipReason))
    func compilesForSM80AndSM90WithoutSpills() throws {
        let nvrtc = try corpusNVRTC.get()
        // The forms' configs, and wider / narrower tiles.
        let configs = [
            EncoderPersistentConfig(), EncoderPersistentConfig(wideTokens: 16, wideFeatures: 64),
            EncoderPersistentConfig(wideTokens: 16, wideFeatures: 128, narrowTokens: 16, narrowFeatures: 64),
        ]
        var failures: [String] = []
        // An all-pairs cover of (batch and bucket, config, architecture): 10 of the 18 kernels.
        struct Job { var sizes: Int, config: Int, architecture: Int }
        let sizes = [(1, 128), (8, 128), (2, 32)]
        let all = sizes.indices.flatMap { s in configs.indices.flatMap { c in [80, 90].map { Job(sizes: s, config: c, architecture: $0) } } }
        let jobs = PairwiseCover.cover(all, key: { "\($0.sizes)/\($0.config)/\($0.architecture)" }) {
            ["sizes=\($0.sizes)", "config=\($0.config)", "arch=\($0.architecture)"]
        }
        #expect(jobs.count <= 10)
        for job in jobs {
            let (batch, bucket) = sizes[job.sizes]
            var shape = Self.miniLM
            shape.bucket = bucket
            let kernel = try EncoderKernels.persistentEncoder(shape, layers: 6, intermediate: 1536, batch: batch, blocks: 132, config: configs[job.config])
            let architecture = job.architecture
            do {
                let compiled = try nvrtc.compile(
                    kernel.source, name: "\(kernel.entryPoint).cu", target: CompileTarget(format: .cubin, computeCapability: architecture))
                let usage = try #require(compiled.resources(of: kernel.entryPoint))
                if usage.spills { failures.append("\(kernel.entryPoint) sm_\(architecture): spills \(usage.spillStoreBytes)/\(usage.spillLoadBytes) B") }
                if usage.registers > 255 { failures.append("\(kernel.entryPoint) sm_\(architecture): \(usage.registers) registers") }
            } catch {
                failures.append("\(kernel.entryPoint) sm_\(architecture): \(error)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: failures.joined(separator: "\n")))
    }
}
