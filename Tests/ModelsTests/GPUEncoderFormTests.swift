import KernelGen
import Testing

@testable import Models

/// The GPU encoder's forms (how the forward is laid out in kernels), which the whole-graph choice
/// and the self-test go through, and the cosine the candidates are checked with.
struct GPUEncoderFormTests {
    @Test func everyFormIsListedOnceWithADistinctName() {
        let forms = GPUEncoderForm.all
        let tensorCore = GPUEncoderForm.tensorCoreForms
        #expect(forms.count == 7 * GPUAttentionKernel.allCases.count + GPUEncoderForm.fusedCSR.count + tensorCore.count)
        #expect(GPUEncoderForm.fusedCSR.count == 3 * 2 * EncoderFusedConfig.tokenGroups.count, "each fused attention kernel, token group, warps")
        #expect(GPUEncoderForm.fusedCSR.allSatisfy { $0.attention != .gemm && $0.dependentLaunch && $0.fused != nil && !$0.usesPlan })
        #expect(tensorCore.count == 2, "row tiles of 64 and of 32")
        #expect(tensorCore.allSatisfy { $0.attention.fusedConfig(qkvBias: true) != nil && $0.dependentLaunch && $0.fused == nil && !$0.usesPlan })
        #expect(forms.filter(\.usesPlan).count == 7 * GPUAttentionKernel.allCases.count)
        let ampere = ComputeCapability(major: 8, minor: 0), hopper = ComputeCapability(major: 9, minor: 0)
        #expect(GPUEncoderForm.available(on: ampere, type: .f16).count == 7 * GPUAttentionKernel.allCases.count)
        #expect(GPUEncoderForm.available(on: hopper, type: .f16) == forms)
        #expect(GPUEncoderForm.available(on: hopper, type: .f32) == forms.filter { $0.tensorCore == nil }, "the tensor-core forms are 16-bit only")
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
