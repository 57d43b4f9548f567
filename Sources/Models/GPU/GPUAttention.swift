import CUDA
import KernelGen
import Runtime
import SparseFormats

/// How a session runs attention.
package enum GPUAttentionKernel: String, Sendable, Codable, CaseIterable {
    /// One kernel: K and V of a head in shared memory, 16 queries a block over 4 warps
    /// (``EncoderKernels/attention(_:batch:config:)``).
    case fused
    /// The same kernel, 8 queries a block over 8 warps: one query a warp, twice the blocks.
    case fusedQ8 = "fused-q8"
    /// The same kernel, 4 queries a block over 4 warps: one query a warp, four times the blocks.
    case fusedQ4 = "fused-q4"
    /// cuBLAS batched GEMMs (K Q^T, then P V) around the masked-softmax kernel.
    case gemm

    /// The fused kernel's geometry (nil: the GEMM form); `qkvBias`: it adds the QKV bias itself.
    func fusedConfig(qkvBias: Bool) -> EncoderAttentionConfig? {
        switch self {
        case .fused: EncoderAttentionConfig(queriesPerBlock: 16, warps: 4, qkvBias: qkvBias)
        case .fusedQ8: EncoderAttentionConfig(queriesPerBlock: 8, warps: 8, qkvBias: qkvBias)
        case .fusedQ4: EncoderAttentionConfig(queriesPerBlock: 4, warps: 4, qkvBias: qkvBias)
        case .gemm: nil
        }
    }
}

/// How a session's forward is laid out in kernels: the attention kernel, and whether the
/// epilogues are folded into the kernels after the linear layers.
package struct GPUEncoderForm: Sendable, Codable, Hashable, CustomStringConvertible {
    package var attention: GPUAttentionKernel
    /// Folded epilogues: the attention-output and FFN-down layers run without theirs and one
    /// kernel adds bias + residual and normalises (``EncoderKernels/LayerNormInput/biasResidual``);
    /// with a fused attention kernel, the QKV layer runs without its bias, which attention adds.
    /// Per layer on cuBLAS: 2 kernels fewer (3 with a fused attention kernel).
    package var foldedEpilogues: Bool
    /// Sparrow's own kernels after the first (SpMM, norms, epilogues, fused attention, pooling)
    /// are programmatic dependent launches: each may start while the kernel before it finishes
    /// and waits (`griddepcontrol.wait`) before reading. cuBLAS's kernels launch as usual.
    package var dependentLaunch: Bool
    /// Tokens a LayerNorm block takes (``EncoderKernels/layerNormTokensPerBlock``): 32, or
    /// fewer for more blocks on a batch of few tokens.
    package var normTokensPerBlock: Int
    /// Fused CSR layers (nil: the linear layers run per the plan): every layer of a transformer
    /// block in three kernels around attention, each reading W as CSR, in this geometry
    /// (``EncoderKernels/fusedLinear(_:kind:tokens:config:)``): the QKV projection + bias;
    /// attention output + bias + residual + LayerNorm; the whole FFN + bias + residual +
    /// LayerNorm. Needs sm_90 (thread-block clusters); the plan's per-layer kernels are unused.
    package var fused: EncoderFusedConfig?
    /// Tensor-core layers (nil: the linear layers run per the plan): every layer of a transformer
    /// block in four kernels around attention, each reading W dense (fp16 / bf16) in Sparrow's
    /// tensor-core kernels with its epilogue (``EncoderKernels/tensorCoreLinear(_:kind:tokens:config:)``):
    /// QKV (attention adds the bias); attention output + bias + residual + LayerNorm; FFN up +
    /// bias + GELU; FFN down + bias + residual + LayerNorm. Needs sm_90 and a fused attention
    /// kernel that adds the QKV bias; the plan's per-layer kernels are unused.
    package var tensorCore: EncoderTensorCoreConfig?
    /// The persistent kernel (nil: the forward is a graph of kernels): the whole forward, every
    /// layer, in one kernel of a block per SM with a grid barrier between stages
    /// (``EncoderKernels/persistentEncoder(_:layers:intermediate:batch:blocks:config:)``), W
    /// dense fp16; the attention kernel, epilogue and launch choices and the plan are unused.
    package var persistent: EncoderPersistentConfig?

    package init(
        attention: GPUAttentionKernel, foldedEpilogues: Bool = false, dependentLaunch: Bool = false, normTokensPerBlock: Int = 32,
        fused: EncoderFusedConfig? = nil, tensorCore: EncoderTensorCoreConfig? = nil, persistent: EncoderPersistentConfig? = nil
    ) {
        self.attention = attention
        self.foldedEpilogues = foldedEpilogues
        self.dependentLaunch = dependentLaunch
        self.normTokensPerBlock = normTokensPerBlock
        self.fused = fused
        self.tensorCore = tensorCore
        self.persistent = persistent
    }

    /// Whether the linear layers run per the plan (not in a fused-CSR, tensor-core or persistent form).
    package var usesPlan: Bool { fused == nil && tensorCore == nil && persistent == nil }

    /// The fused-CSR forms: each fused attention kernel, with token groups of 4 and 8 and
    /// blocks of 8 and 16 warps (8 blocks a token group), folded, dependent launches, the
    /// embedding LayerNorm 8 tokens a block.
    package static let fusedCSR: [GPUEncoderForm] = EncoderFusedConfig.tokenGroups.flatMap { group in
        [16, 8].flatMap { warps in
            GPUAttentionKernel.allCases.filter { $0.fusedConfig(qkvBias: false) != nil }.map {
                GPUEncoderForm(
                    attention: $0, foldedEpilogues: true, dependentLaunch: true, normTokensPerBlock: 8,
                    fused: EncoderFusedConfig(tokens: group, warps: warps))
            }
        }
    }

    /// The tensor-core forms: the fused attention kernel of 8 queries a warp, 16 tokens a block,
    /// clusters of 8 for the LayerNorm kinds, the k steps split over 8 warps in chunks of 512, row
    /// tiles of 64 and of 32. Folded, dependent launches, the embedding LayerNorm 8 tokens a
    /// block. (Chunks of 64, k splits of 2 and 4, 32 tokens a block, and bulk copies (TMA) of W
    /// or of X were slower on an H200: docs/perf/2026-12-01-h200-session8.)
    package static let tensorCoreForms: [GPUEncoderForm] = [
        EncoderTensorCoreConfig(tokens: 16, rows: 64, kSplit: 8, chunkK: 512),
        EncoderTensorCoreConfig(tokens: 16, rows: 32, kSplit: 8, chunkK: 512),
    ].map { GPUEncoderForm(attention: .fusedQ8, foldedEpilogues: true, dependentLaunch: true, normTokensPerBlock: 8, tensorCore: $0) }

    /// The persistent form: tiles of 32 tokens x 64 features (QKV, FFN up) and 16 x 32 (attention
    /// output, FFN down). (QKV / FFN-up tiles of 16 x 64 and 16 x 128, prefetches of W into L1
    /// before each barrier or into L2 a layer ahead, and LayerNorms folded into the GEMM stages
    /// were slower on an H200: docs/perf/2026-12-01-h200-session9.)
    package static let persistentForms: [GPUEncoderForm] = [
        EncoderPersistentConfig(wideTokens: 32, wideFeatures: 64, narrowTokens: 16, narrowFeatures: 32),
    ].map { GPUEncoderForm(attention: .fusedQ8, persistent: $0) }

    /// The oldest architecture the form's kernels run on (mma.m16n8k16 for the persistent kernel,
    /// thread-block clusters and dependent launches for the fused-CSR and tensor-core forms). The
    /// persistent kernel compiles for sm_80 in the tests but has run only on an H200 (sm_90).
    package var minimumComputeCapability: ComputeCapability {
        persistent != nil ? ComputeCapability(major: 8, minor: 0)
            : usesPlan ? ComputeCapability(major: 7, minor: 0) : ComputeCapability(major: 9, minor: 0)
    }

    /// Whether the form's kernels serve `type` and a model of `hidden` features in `heads` heads
    /// (the tensor-core forms: ``EncoderTensorCoreConfig/elementTypes``; the persistent forms:
    /// ``EncoderKernels/persistentRefusal(hidden:heads:type:)``).
    package func serves(_ type: ElementType, hidden: Int, heads: Int) -> Bool {
        if tensorCore != nil { return EncoderTensorCoreConfig.elementTypes.contains(type) }
        if persistent != nil { return EncoderKernels.persistentRefusal(hidden: hidden, heads: heads, type: type) == nil }
        return true
    }

    /// The forms of ``all`` whose kernels run on `capability` and serve `type` and the model's shape.
    package static func available(on capability: ComputeCapability, type: ElementType, hidden: Int, heads: Int) -> [GPUEncoderForm] {
        all.filter { $0.minimumComputeCapability <= capability && $0.serves(type, hidden: hidden, heads: heads) }
    }

    /// Every form: each attention kernel with epilogues separate; folded, with and without
    /// dependent launches, each with LayerNorm blocks of 32 and of 8 tokens; folded with
    /// dependent launches and LayerNorm blocks of 4 and of 2 tokens; the ``fusedCSR`` forms; the
    /// ``tensorCoreForms``; and the ``persistentForms``.
    package static let all: [GPUEncoderForm] = [
        (false, false, 32), (true, false, 32), (true, false, 8), (true, true, 32), (true, true, 8), (true, true, 4), (true, true, 2),
    ]
        .flatMap { folded, dependent, tokens in
            GPUAttentionKernel.allCases.map {
                GPUEncoderForm(attention: $0, foldedEpilogues: folded, dependentLaunch: dependent, normTokensPerBlock: tokens)
            }
        } + fusedCSR + tensorCoreForms + persistentForms

    /// The form used when none is measured: one query a warp (8 a block), folded epilogues,
    /// LayerNorm blocks of 8 tokens, ordinary launches (dependent launches need sm_90). The
    /// fastest form without dependent launches at MiniLM batch 1 x 128 on an H200, fp16 and fp32
    /// (docs/perf/2026-11-30-h200-minilm2).
    package static let unmeasured = GPUEncoderForm(attention: .fusedQ8, foldedEpilogues: true, normTokensPerBlock: 8)

    package var description: String {
        if let persistent { return "persistent-" + persistent.identifier }
        return attention.rawValue + (foldedEpilogues ? "+folded" : "") + (dependentLaunch ? "+pdl" : "") + (normTokensPerBlock == 32 ? "" : "+ln\(normTokensPerBlock)")
            + (fused.map { "+csr\($0.tokens)" + ($0.warps == 16 ? "" : "w\($0.warps)") } ?? "")
            + (tensorCore.map { "+tc-" + $0.identifier } ?? "")
    }
}

/// The GEMM form of attention for one session: the scores (fp32) and probabilities (elem_t) of
/// every (batch row, head), and the device arrays of operand addresses the batched GEMMs read,
/// allocated once.
final class GemmAttention {
    let scores: DeviceBuffer<Float>
    let probabilities: DeviceBuffer<UInt8>
    let keys: DeviceBuffer<UInt64>, queries: DeviceBuffer<UInt64>, values: DeviceBuffer<UInt64>
    let scoreRows: DeviceBuffer<UInt64>, probabilityRows: DeviceBuffer<UInt64>, contexts: DeviceBuffer<UInt64>
    let softmax: PreparedLaunch
    let cublas: CUBLASHandle
    let shape: EncoderShape
    let count: Int
    let tokens: Int

    /// Column-major views (see the session's layout): for batch row b and head h, Q, K, V are
    /// S x D matrices with leading dimension T at qkv + (part * H + h * D) * T + b * S elements;
    /// scores and probabilities are S x S blocks of S * S elements; the context is S x D at
    /// context + (h * D) * T + b * S with leading dimension T (feature-major, as the next layer reads it).
    init(device: GPUDevice, cublas: CUBLASHandle, shape: EncoderShape, batch: Int, qkv: UInt64, context: UInt64, mask: DeviceBuffer<Int32>) throws {
        let s = shape.bucket, d = shape.headSize, h = shape.hidden, heads = shape.heads
        let t = batch * s, w = UInt64(shape.elementType.byteWidth)
        count = batch * heads
        tokens = t
        self.shape = shape
        self.cublas = cublas
        let ctx = device.context
        scores = try DeviceBuffer(context: ctx, count: count * s * s)
        probabilities = try DeviceBuffer(context: ctx, count: count * s * s * Int(w))
        var q: [UInt64] = [], k: [UInt64] = [], v: [UInt64] = [], sc: [UInt64] = [], p: [UInt64] = [], c: [UInt64] = []
        for b in 0..<batch {
            for head in 0..<heads {
                let index = UInt64(b * heads + head)
                func part(_ part: Int) -> UInt64 { qkv + UInt64((part * h + head * d) * t + b * s) * w }
                q.append(part(0))
                k.append(part(1))
                v.append(part(2))
                sc.append(scores.address + index * UInt64(s * s) * 4)
                p.append(probabilities.address + index * UInt64(s * s) * w)
                c.append(context + UInt64(head * d * t + b * s) * w)
            }
        }
        queries = try DeviceBuffer(context: ctx, copying: q)
        keys = try DeviceBuffer(context: ctx, copying: k)
        values = try DeviceBuffer(context: ctx, copying: v)
        scoreRows = try DeviceBuffer(context: ctx, copying: sc)
        probabilityRows = try DeviceBuffer(context: ctx, copying: p)
        contexts = try DeviceBuffer(context: ctx, copying: c)
        softmax = try device.prepare(
            EncoderKernels.maskedSoftmax(shape, batch: batch),
            arguments: [.buffer(scores), .buffer(mask), .buffer(probabilities), .int32(Int32(count * s))])
    }

    /// Queues scores = K Q^T (row i of block bh: query i over keys), the masked softmax, and
    /// context = P V.
    func run() throws {
        let s = shape.bucket, d = shape.headSize
        let type: CUDADataType = shape.elementType == .f16 ? .float16 : .float32
        // C[j + i S] = sum_f K(j, f) Q(i, f): A = K (S x D, ld T), B = Q (op T), m = n = S, k = D.
        try cublas.gemmBatched(
            transposeA: false, transposeB: true, m: s, n: s, k: d, a: keys.address, aType: type, lda: tokens,
            b: queries.address, bType: type, ldb: tokens, c: scoreRows.address, cType: .float32, ldc: s, count: count)
        try softmax.launch()
        // ctx(i, f) = sum_j P(i, j) V(j, f): P is stored [i S + j], i.e. column-major S x S of P^T, so op(A) = T.
        try cublas.gemmBatched(
            transposeA: true, transposeB: false, m: s, n: d, k: s, a: probabilityRows.address, aType: type, lda: s,
            b: values.address, bType: type, ldb: tokens, c: contexts.address, cType: type, ldc: tokens, count: count)
    }
}
