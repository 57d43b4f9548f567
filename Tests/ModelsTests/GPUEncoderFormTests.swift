import KernelGen
import SparseFormats
import Testing

@testable import Models

/// The GPU encoder's forms (how the forward is laid out in kernels), which the whole-graph choice
/// and the self-test go through, and the cosine the candidates are checked with.
struct GPUEncoderFormTests {
    @Test func everyFormIsListedOnceWithADistinctName() {
        let forms = GPUEncoderForm.all
        let tensorCore = GPUEncoderForm.tensorCoreForms, persistent = GPUEncoderForm.persistentForms
        #expect(forms.count == 7 * GPUAttentionKernel.allCases.count + GPUEncoderForm.fusedCSR.count + tensorCore.count + persistent.count)
        #expect(GPUEncoderForm.fusedCSR.count == 3 * 2 * EncoderFusedConfig.tokenGroups.count, "each fused attention kernel, token group, warps")
        #expect(GPUEncoderForm.fusedCSR.allSatisfy { $0.attention != .gemm && $0.dependentLaunch && $0.fused != nil && !$0.usesPlan })
        #expect(tensorCore.count == 2, "row tiles of 64 and of 32")
        #expect(tensorCore.allSatisfy { $0.attention.fusedConfig(qkvBias: true) != nil && $0.dependentLaunch && $0.fused == nil && !$0.usesPlan })
        #expect(forms.filter(\.usesPlan).count == 7 * GPUAttentionKernel.allCases.count)
        #expect(persistent.count == 1 && persistent.allSatisfy { !$0.usesPlan && $0.fused == nil && $0.tensorCore == nil })
        #expect(persistent.map(\.description) == ["persistent-w32x64n16x32"])
        let ampere = ComputeCapability(major: 8, minor: 0), hopper = ComputeCapability(major: 9, minor: 0)
        let volta = ComputeCapability(major: 7, minor: 0)
        // MiniLM (384 features, 12 heads of 32).
        func available(_ capability: ComputeCapability, _ type: ElementType, hidden: Int = 384, heads: Int = 12) -> [GPUEncoderForm] {
            GPUEncoderForm.available(on: capability, type: type, hidden: hidden, heads: heads)
        }
        #expect(available(volta, .f16).count == 7 * GPUAttentionKernel.allCases.count)
        #expect(available(ampere, .f16).count == 7 * GPUAttentionKernel.allCases.count + persistent.count)
        #expect(available(hopper, .f16) == forms)
        #expect(available(hopper, .f32) == forms.filter { $0.tensorCore == nil && $0.persistent == nil }, "the tensor-core and persistent forms are 16-bit only")
        // The persistent kernel takes heads of 32 and hidden a multiple of 128: not BERT-base (heads of 64), not hidden 64.
        #expect(available(hopper, .f16, hidden: 768, heads: 12) == forms.filter { $0.persistent == nil })
        #expect(available(hopper, .f16, hidden: 64, heads: 2) == forms.filter { $0.persistent == nil })
        #expect(available(hopper, .f16, hidden: 128, heads: 4) == forms)
        #expect(tensorCore.map(\.description).contains("fused-q8+folded+pdl+ln8+tc-g16r32c8ks8k512"))
        #expect(GPUEncoderForm.fusedCSR.map(\.description).contains("fused-q8+folded+pdl+ln8+csr8"))
        #expect(GPUEncoderForm.fusedCSR.map(\.description).contains("fused-q4+folded+pdl+ln8+csr4w8"))
        #expect(Set(forms).count == forms.count && Set(forms.map(\.description)).count == forms.count)
        #expect(forms.contains(GPUEncoderForm(attention: .gemm)), "the reference form (separate epilogues, GEMM attention)")
        #expect(forms.contains(.unmeasured) && !GPUEncoderForm.unmeasured.dependentLaunch, "the default is checked too, and runs below sm_90")
        #expect(!forms.contains { $0.dependentLaunch && !$0.foldedEpilogues })
        #expect(forms.allSatisfy { EncoderKernels.layerNormTokensPerBlock.contains($0.normTokensPerBlock) })
        #expect(GPUEncoderForm(attention: .gemm, foldedEpilogues: true, normTokensPerBlock: 8).description == "gemm+folded+ln8")
        #expect(GPUEncoderForm(attention: .fusedQ8, foldedEpilogues: true, dependentLaunch: true).description == "fused-q8+folded+pdl")
    }

    /// The persistent kernel's timeline splits by kind: its GEMM stages are linear layers.
    @Test func persistentStagesSplitByKind() {
        let stages = EncoderKernels.persistentStages(layers: 2)
        let kinds = stages.map(GPUEncoderSession.kind(ofPersistentStage:))
        #expect(kinds.filter { $0 == .linear }.count == 2 * 4 && kinds.filter { $0 == .attention }.count == 2)
        #expect(kinds.filter { $0 == .norms }.count == 2 * 2 && kinds.first == .other && kinds.last == .other && kinds.count == 2 + 2 * 7)
    }

    @Test func fusedKernelsMapToOneQueryAWarpOrTheFirstGeometry() {
        #expect(GPUAttentionKernel.gemm.fusedConfig(qkvBias: true) == nil)
        #expect(GPUAttentionKernel.fused.fusedConfig(qkvBias: false) == .standard)
        let q8 = GPUAttentionKernel.fusedQ8.fusedConfig(qkvBias: true)
        #expect(q8 == EncoderAttentionConfig(queriesPerBlock: 8, warps: 8, qkvBias: true))
        let q4 = GPUAttentionKernel.fusedQ4.fusedConfig(qkvBias: false)
        #expect(q4?.queriesPerBlock == q4?.warps)
    }

    @Test func cosineIsTheSmallestOverRowsAndTheBarFollowsTheType() {
        // Rows (1, 0) vs (1, 1): 1/sqrt 2; (0, 2) vs (0, 3): 1.
        #expect(abs(EmbeddingCosine.minimum([1, 0, 0, 2], [1, 1, 0, 3], dimension: 2) - 0.5.squareRoot()) < 1e-12)
        #expect(EmbeddingCosine.minimum([1, 0], [1, 0, 0, 1], dimension: 2) == 0, "different counts do not match")
        #expect(EmbeddingCosine.bar(.f32) == 0.9999 && EmbeddingCosine.bar(.f16) == 0.999)
    }
}
