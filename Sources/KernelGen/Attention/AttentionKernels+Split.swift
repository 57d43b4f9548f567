extension AttentionKernels {
    /// The split tensor-core kernel's extra parameters (after `scaleLog2`): the plan's items
    /// (``AttentionSplitPlan/words``), the fp32 partials (O: batchHeads x partials x BQ x D;
    /// (max, sum): batchHeads x partials x BQ float2), the groups' counters (batchHeads x groups,
    /// zero between launches) and the plan's partials and groups per head.
    static let splitParameters = """
        ,
            const int* __restrict__ work, float* __restrict__ partO, float* __restrict__ partML, int* __restrict__ counters,
            const int partials, const int groups
        """

    /// Item `it` of the plan: {block, first tile, tile count, partial, group, group's first
    /// partial, group's splits, 0}; the block here, the walk's bounds at its start, the rest in the
    /// epilogue (read again there rather than held in registers across the walk). The grid is
    /// (items, batchHeads), but blocks start in linear order (x fastest), so the linear index is
    /// read head-fastest: item = linear / heads. Every head's split items (first in the plan, the
    /// longest walks) then start in the first wave; read as (x = item, y = head), the last head's
    /// started in the last wave and ended the kernel alone.
    static let splitItem = """
        const int linear = blockIdx.x + gridDim.x * blockIdx.y;
          const int it = linear / gridDim.y, hy = linear - it * gridDim.y;
          const int* item = work + 8 * it;
          const int bx = __ldg(item);
        """

    /// `tile_at`: where tile t of a block's walk starts (the walk of the unsplit kernel's `seek`).
    static let splitHelpers = """
        // Tile t of the walk: slot s and first view key u (s = S past the walk's end).
        __device__ __forceinline__ void tile_at(int t, int& s, int& u, int S, const int* lo, const int* hi) {
          u = 0;
          for (s = 0; s < S; ++s) {
            const int n = hi[s] >= lo[s] ? (hi[s] - lo[s]) / BK + 1 : 0;
            if (t < n) { u = lo[s] + t * BK; return; }
            t -= n;
          }
        }
        """

    /// Narrows the block's walk to the item's tiles by clamping the slot spans in shared memory
    /// (slots before the first tile's and after the last tile's emptied, the first slot starting
    /// at the first tile, the last ending at the last tile's first key), so the walk loop is the
    /// unsplit kernel's, with no register more (at 256 threads and d 64 it sits at 128). An
    /// empty walk empties every slot.
    static let splitWalk = """
        if (threadIdx.x == 0) {
            const int first = __ldg(item + 1), count = __ldg(item + 2);
            int fs, fu, es, eu;
            tile_at(first, fs, fu, S, lo, hi);
            tile_at(first + count - 1, es, eu, S, lo, hi);
            if (count <= 0) fs = S;
            for (int s = 0; s < S; ++s) {
              if (s < fs || s > es) { lo[s] = 0x7fffffff; hi[s] = -1; }
            }
            if (fs < S) { lo[fs] = fu; hi[es] = eu; }
          }
          __syncthreads();
        """

    /// A split item's end: its partial to the workspace, then the group's last block merges.
    static let splitEpilogue = """
        const int4 w0 = __ldg(reinterpret_cast<const int4*>(work) + 2 * it), w1 = __ldg(reinterpret_cast<const int4*>(work) + 2 * it + 1);
          if (w0.w >= 0) {
            const size_t pbase = ((size_t)hy * partials + w0.w) * BQ;
            const int lr0 = warp * 16 + (lane >> 2), lr1 = lr0 + 8;
            if ((lane & 3) == 0) {
              if (live0) reinterpret_cast<float2*>(partML)[pbase + lr0] = make_float2(m0, l0);
              if (live1) reinterpret_cast<float2*>(partML)[pbase + lr1] = make_float2(m1, l1);
            }
            #pragma unroll
            for (int n = 0; n < D / 8; ++n) {
              const int col = n * 8 + (lane & 3) * 2;
              if (live0 && l0 > 0.0f) *reinterpret_cast<float2*>(partO + (pbase + lr0) * D + col) = make_float2(oacc[n][0], oacc[n][1]);
              if (live1 && l1 > 0.0f) *reinterpret_cast<float2*>(partO + (pbase + lr1) * D + col) = make_float2(oacc[n][2], oacc[n][3]);
            }
            // Partials visible device-wide before the count; the block that completes the group merges.
            __threadfence();
            __syncthreads();
            __shared__ int merging;
            __shared__ float rowMax[BQ], rowInv[BQ];
            int* counter = counters + (size_t)hy * groups + w1.x;
            if (threadIdx.x == 0) merging = atomicAdd(counter, 1) == w1.z - 1;
            __syncthreads();
            if (!merging) return;
            __threadfence();
            const size_t gbase = ((size_t)hy * partials + w1.y) * BQ;
            const float2* gml = reinterpret_cast<const float2*>(partML) + gbase;
            for (int rr = threadIdx.x; rr < BQ; rr += NW * 32) {
              float mx = -INFINITY, sum = 0.0f;
              for (int j = 0; j < w1.z; ++j) {
                const float2 p = __ldcg(gml + (size_t)j * BQ + rr);
                if (p.y > 0.0f) {
                  const float nm = fmaxf(mx, p.x);
                  sum = sum * fast_exp2(mx - nm) + p.y * fast_exp2(p.x - nm);
                  mx = nm;
                }
              }
              rowMax[rr] = mx;
              rowInv[rr] = sum > 0.0f ? __fdividef(1.0f, sum) : 0.0f;  // sum >= 1: the top split adds its l >= 1
            }
            __syncthreads();
            for (int e = threadIdx.x; e < BQ * (D / 2); e += NW * 32) {
              const int rr = e / (D / 2), f = (e - rr * (D / 2)) * 2;
              const int qv = qb * BQ + rr;
              if (qv >= inClass) continue;
              float a = 0.0f, b = 0.0f;
              for (int j = 0; j < w1.z; ++j) {
                const float2 p = __ldcg(gml + (size_t)j * BQ + rr);
                if (p.y > 0.0f) {
                  const float w = fast_exp2(p.x - rowMax[rr]);
                  const float2 x = __ldcg(reinterpret_cast<const float2*>(partO + (gbase + (size_t)j * BQ + rr) * D + f));
                  a = fmaf(w, x.x, a);
                  b = fmaf(w, x.y, b);
                }
              }
              *reinterpret_cast<unsigned*>(o + head + (size_t)(r + vstr * qv) * D + f) = pack2(a * rowInv[rr], b * rowInv[rr]);
            }
            if (threadIdx.x == 0) *counter = 0;  // re-armed for the next launch
            return;
          }
        """
}
