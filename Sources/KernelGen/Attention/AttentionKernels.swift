import SparseFormats

// Sparse attention over ACSR (SPLAT's affine CSR) on the GPU: the fused kernels (tensor core,
// row warp) and the unfused three (SDDMM, row softmax, SpMM). Pure source writers; which one runs
// is the Tuner's and Runtime's business.
//
// Layout contract (every kernel). Q, K, V and O are batchHeads heads of L x d, row-major
// (`[bh][L][d]`, element (h, i, f) at (h L + i) d + f), in `elem_t` (f16 or bf16), 16-byte
// aligned. ACSR arrays as ``SparseFormats/ACSR`` lays them out: `segStart`, `segStride`,
// `segCount` (int, L x S), `rowOffset` (long long, L + 1). Scores (unfused) are fp32,
// `batchHeads x nnz`, head h's scores at h nnz + rowOffset[i] + (earlier segments' counts) + t.
// Every dot product, max, sum and P V product is fp32. A row with no key writes zeros.
//
// Arguments are bound by position, in the order each kernel's signature below lists them:
// - fused (tc, wg, rw): q, k, v, o, segStart, segStride, segCount, L, S, viewStride, scaleLog2
// - fused tc / wg split: the same, then work, partO, partML, counters, partials, groups (``AttentionSplitPlan``)
// - sddmm:          q, k, scores, segStart, segStride, segCount, rowOffset, L, S, nnz, scale
// - softmax:        scores, rowOffset, L, nnz
// - spmm:           scores, v, o, segStart, segStride, segCount, rowOffset, L, S, nnz
// `scaleLog2` is scale x log2(e) (the fused kernels use exp2); `nnz` is a 64-bit integer.

/// Writes the attention kernels.
package enum AttentionKernels {
    /// The fused kernel of `config` (tensor core or row warp) for `problem` over `shape`; a split
    /// config (`tilesPerSplit` > 0) launches one block per item of `plan`, which must be its own.
    package static func fused(_ problem: AttentionProblem, _ shape: AttentionShape, _ config: AttentionConfig, plan: AttentionSplitPlan? = nil) throws -> KernelSource {
        try config.validate(for: problem)
        let matches = plan.map { config.splits && $0.queriesPerBlock == config.queriesPerBlock && $0.keysPerTile == config.keysPerTile && $0.tilesPerSplit == config.tilesPerSplit }
        guard matches ?? !config.splits else { throw AttentionConfigError.splitPlanMismatch(config: config.identifier, plan: plan?.description ?? "none") }
        switch config.variant {
        case .tensorCore, .warpGroup:
            guard shape.segmentsPerRow <= AttentionConfig.maxSegmentsPerRow else {
                throw AttentionShapeError.segmentsPerRow(shape.segmentsPerRow, limit: AttentionConfig.maxSegmentsPerRow)
            }
            let perResidue = LaunchDimensions.blocks(LaunchDimensions.blocks(shape.length, shape.viewStride), config.queriesPerBlock)
            let grid = try checkedGrid(x: plan?.items.count ?? shape.viewStride * perResidue, y: shape.batchHeads, problem)
            return source(
                problem, shape, config, kernel: "fused", grid: grid, body: tensorCoreBody(problem, config, entryPoint: entryPoint(problem, config, "fused")),
                deskCheck: tensorCoreDeskCheck(problem, config, plan: plan), plan: plan)
        case .rowWarp:
            let grid = try checkedGrid(x: LaunchDimensions.blocks(shape.length, config.warps), y: shape.batchHeads, problem)
            return source(
                problem, shape, config, kernel: "fused", grid: grid, body: rowWarpBody(problem, config, entryPoint: entryPoint(problem, config, "fused")),
                deskCheck: rowWarpDeskCheck(problem, config))
        case .unfused:
            throw AttentionConfigError.unsupportedKnob(variant: "unfused", field: "fused kernel", value: 0, allowed: [])
        }
    }

    /// The unfused path's three kernels, in launch order: SDDMM, softmax, SpMM.
    package static func unfused(_ problem: AttentionProblem, _ shape: AttentionShape, _ config: AttentionConfig) throws -> [KernelSource] {
        try config.validate(for: problem)
        guard config.variant == .unfused else {
            throw AttentionConfigError.unsupportedKnob(variant: config.variant.rawValue, field: "unfused path", value: 0, allowed: [])
        }
        let grid = try checkedGrid(x: LaunchDimensions.blocks(shape.length, config.warps), y: shape.batchHeads, problem)
        return [
            source(problem, shape, config, kernel: "sddmm", grid: grid, body: sddmmBody(problem, config, entryPoint: entryPoint(problem, config, "sddmm")),
                   deskCheck: unfusedDeskCheck(problem, "sddmm")),
            source(problem, shape, config, kernel: "softmax", grid: grid, body: softmaxBody(problem, config, entryPoint: entryPoint(problem, config, "softmax")),
                   deskCheck: unfusedDeskCheck(problem, "softmax")),
            source(problem, shape, config, kernel: "spmm", grid: grid, body: spmmBody(problem, config, entryPoint: entryPoint(problem, config, "spmm")),
                   deskCheck: unfusedDeskCheck(problem, "spmm")),
        ]
    }

    static func entryPoint(_ problem: AttentionProblem, _ config: AttentionConfig, _ kernel: String) -> String {
        "sparrow_attention_\(kernel)_\(problem.elementType.rawValue)_d\(problem.headSize)_" + config.kernelIdentifier.replacingOccurrences(of: ".", with: "_")
    }

    static func checkedGrid(x: Int, y: Int, _ problem: AttentionProblem) throws(AttentionShapeError) -> LaunchDimensions {
        guard y <= problem.device.maxGridY else { throw .gridTooLarge(dimension: "y (batch x heads)", blocks: y, limit: problem.device.maxGridY) }
        guard x <= Int(Int32.max) else { throw .gridTooLarge(dimension: "x", blocks: x, limit: Int(Int32.max)) }
        return LaunchDimensions(x: x, y: y)
    }

    static func source(
        _ problem: AttentionProblem, _ shape: AttentionShape, _ config: AttentionConfig, kernel: String, grid: LaunchDimensions,
        body: String, deskCheck: String, plan: AttentionSplitPlan? = nil
    ) -> KernelSource {
        let block = LaunchDimensions(x: config.threads)
        let shared = kernel == "fused" ? config.sharedMemoryBytes(headSize: problem.headSize, segmentsPerRow: shape.segmentsPerRow) : 0
        let header = """
            // sparrow attention \(kernel) \(problem) cfg=\(config) \(shape)\(plan.map { " \($0)" } ?? "") grid=\(grid) block=\(block) smem=\(shared)
            // sparrow kernelgen v\(KernelGen.generatorVersion) (KernelGen/Attention) desk check: \(deskCheck)

            """
        let prelude = """
            \(ElementCode.includes(problem.elementType))typedef \(ElementCode.cType(problem.elementType)) elem_t;
            \(ElementCode.conversions(problem.elementType))
            #define INFINITY __int_as_float(0x7f800000)
            #define D \(problem.headSize)
            #define NW \(config.warps)

            """
        return KernelSource(
            source: header + prelude + body, entryPoint: entryPoint(problem, config, kernel), grid: grid, block: block,
            dynamicSharedMemoryBytes: shared, parameters: [], minimumComputeCapability: config.minimumComputeCapability, requiredPointerAlignment: 16,
            generatorVersion: KernelGen.generatorVersion)
    }

    /// The segment walk every CUDA-core kernel shares: `dot_q` (a K row against the row's q in
    /// shared memory, fp32, 16-byte loads) and `warp_max` / `warp_sum` butterflies.
    static func warpHelpers(_ problem: AttentionProblem) -> String {
        """
        \(ElementCode.denseLoad(problem.elementType, width: 8, name: "load8"))
        __device__ __forceinline__ float warp_max(float x) {
          for (int o = 16; o > 0; o >>= 1) x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, o));
          return x;
        }
        __device__ __forceinline__ float warp_sum(float x) {
          for (int o = 16; o > 0; o >>= 1) x += __shfl_xor_sync(0xffffffffu, x, o);
          return x;
        }
        // q (D floats, shared) . k_row (D elements, global), fp32.
        __device__ __forceinline__ float dot_q(const float* qs, const elem_t* __restrict__ kr) {
          float acc = 0.0f;
          // Unrolled 4 deep, not fully: full unrolling spilled 8 bytes in the row-warp kernel (ptxas, sm_80 and sm_90).
          #pragma unroll 4
          for (int f = 0; f < D; f += 8) {
            float x[8];
            load8(kr + f, x);
            #pragma unroll
            for (int j = 0; j < 8; ++j) acc = fmaf(qs[f + j], x[j], acc);
          }
          return acc;
        }
        // Stages one query row (D elements) as fp32 into this warp's shared slot.
        __device__ __forceinline__ void stage_q(float* qs, const elem_t* __restrict__ qr, int lane) {
          for (int f = lane; f < D; f += 32) qs[f] = to_f32(qr[f]);
          __syncwarp();
        }
        """
    }

    /// The start of every kernel that scores one row per warp: warp w of block (x, h) takes row
    /// i = x NW + w of head h (or returns past L), with q staged as fp32 in `qsh[w]` and `kh` at K's head.
    static let rowWarpPrologue = """
          __shared__ float qsh[NW][D];
          const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
          const int i = blockIdx.x * NW + warp;
          if (i >= L) return;
          const size_t head = (size_t)blockIdx.y * (size_t)L * D;
          const elem_t* kh = k + head;
          stage_q(qsh[warp], q + head + (size_t)i * D, lane);
        """

    /// Each lane owns E = D / 32 consecutive features: `load_v` reads them from a V row,
    /// `store_y` writes them to O, `add_pv` adds p times them to the lane's accumulators.
    static func laneFeatureHelpers(_ problem: AttentionProblem) -> String {
        let e = problem.headSize / 32
        return """
            #define E \(e)
            \(ElementCode.denseLoad(problem.elementType, width: e, name: "load_v"))
            \(ElementCode.denseStore(problem.elementType, width: e))
            __device__ __forceinline__ void add_pv(float (&acc)[E], float p, const elem_t* __restrict__ vr, int lane) {
              float x[E];
              load_v(vr + lane * E, x);
              #pragma unroll
              for (int e = 0; e < E; ++e) acc[e] = fmaf(p, x[e], acc[e]);
            }
            """
    }
}
