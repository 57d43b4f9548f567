extension AttentionKernels {
    /// Desk check of the row-warp kernel (per query row with n keys, head size d, 2-byte elements).
    static func rowWarpDeskCheck(_ problem: AttentionProblem, _ config: AttentionConfig) -> String {
        let d = problem.headSize
        return "one warp per row, \(config.warps) rows per block, \(config.warps * d * 4) B static smem (q rows as fp32); "
            + "per row with n keys: 4 n \(d) FLOPs, reads n x 2 x \(2 * d) B of K and V (L2/L1 reuse across rows), "
            + "writes \(2 * d) B; scores never leave registers"
    }

    /// The fused CUDA-core kernel: warp `w` of block (x, h) takes row i = x NW + w of head h. It
    /// stages q as fp32 in shared memory, then walks the row's segments 32 keys at a time: lane t
    /// scores key t (a full dot product, 16-byte loads of its K row), the warp takes the chunk's
    /// max and updates the running max m and sum l (exp2 of scores prescaled by scale log2 e),
    /// rescales its accumulators, and adds p_j V_j for the chunk's keys, each lane E = d / 32
    /// features, p_j broadcast by shuffle.
    static func rowWarpBody(_ problem: AttentionProblem, _ config: AttentionConfig, entryPoint: String) -> String {
        """
        \(warpHelpers(problem))
        \(laneFeatureHelpers(problem))

        extern "C" __global__ void __launch_bounds__(NW * 32) \(entryPoint)(
            const elem_t* __restrict__ q, const elem_t* __restrict__ k, const elem_t* __restrict__ v, elem_t* __restrict__ o,
            const int* __restrict__ segStart, const int* __restrict__ segStride, const int* __restrict__ segCount,
            const int L, const int S, const int viewStride, const float scaleLog2) {
        \(rowWarpPrologue)
          const elem_t* vh = v + head;
          float acc[E];
          #pragma unroll
          for (int e = 0; e < E; ++e) acc[e] = 0.0f;
          float m = -INFINITY, l = 0.0f;
          for (int s = 0; s < S; ++s) {
            const int c = segCount[i * S + s];
            if (c == 0) break;
            const int st = segStart[i * S + s], sd = segStride[i * S + s];
            for (int t0 = 0; t0 < c; t0 += 32) {
              const int t = t0 + lane;
              const float score = t < c ? dot_q(qsh[warp], kh + (size_t)(st + sd * t) * D) * scaleLog2 : -INFINITY;
              const float mn = fmaxf(m, warp_max(score));
              const float alpha = exp2f(m - mn);  // m = -inf on the first chunk: 0 (mn is finite here)
              const float p = exp2f(score - mn);
              l = l * alpha + warp_sum(p);
              #pragma unroll
              for (int e = 0; e < E; ++e) acc[e] *= alpha;
              m = mn;
              const int n = min(32, c - t0);
              for (int j = 0; j < n; ++j) {
                const float pj = __shfl_sync(0xffffffffu, p, j);
                add_pv(acc, pj, vh + (size_t)(st + sd * (t0 + j)) * D, lane);
              }
            }
          }
          float out[E];
          const float inv = l > 0.0f ? 1.0f / l : 0.0f;
          #pragma unroll
          for (int e = 0; e < E; ++e) out[e] = acc[e] * inv;
          store_y(o + head + (size_t)i * D + lane * E, out);
        }
        """
    }
}
