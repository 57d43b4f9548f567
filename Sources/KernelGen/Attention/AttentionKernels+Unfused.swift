extension AttentionKernels {
    /// Desk check of one unfused kernel (per row with n keys, head size d, 2-byte elements).
    static func unfusedDeskCheck(_ problem: AttentionProblem, _ kernel: String) -> String {
        let d = problem.headSize
        switch kernel {
        case "sddmm": return "one warp per row, lanes over 32 keys: 2 n \(d) FLOPs, reads n x \(2 * d) B of K, writes 4 n B of scores"
        case "softmax": return "one warp per row: reads 4 n B twice (online max/sum, then normalise), writes 4 n B"
        default: return "one warp per row, lanes over \(d) features: 2 n \(d) FLOPs, reads 4 n B of P and n x \(2 * d) B of V, writes \(2 * d) B"
        }
    }

    /// SDDMM: warp w of block (x, h) takes row i = x NW + w; lane t scores key t of each 32-key
    /// chunk of each segment (fp32 dot product with q staged in shared memory) and writes
    /// scale q.k at h nnz + rowOffset[i] + (earlier counts) + t.
    static func sddmmBody(_ problem: AttentionProblem, _ config: AttentionConfig, entryPoint: String) -> String {
        """
        \(warpHelpers(problem))

        extern "C" __global__ void __launch_bounds__(NW * 32) \(entryPoint)(
            const elem_t* __restrict__ q, const elem_t* __restrict__ k, float* __restrict__ scores,
            const int* __restrict__ segStart, const int* __restrict__ segStride, const int* __restrict__ segCount,
            const long long* __restrict__ rowOffset, const int L, const int S, const long long nnz, const float scale) {
        \(rowWarpPrologue)
          float* out = scores + (size_t)blockIdx.y * (size_t)nnz + (size_t)rowOffset[i];
          for (int s = 0; s < S; ++s) {
            const int c = segCount[i * S + s];
            if (c == 0) break;
            const int st = segStart[i * S + s], sd = segStride[i * S + s];
            for (int t = lane; t < c; t += 32) out[t] = dot_q(qsh[warp], kh + (size_t)(st + sd * t) * D) * scale;
            out += c;
          }
        }
        """
    }

    /// Row softmax in place: warp w of block (x, h) takes row i's n scores; each lane keeps an
    /// online (max, sum) over its strided scores, the warp merges them, then every score becomes
    /// exp(s - max) / sum.
    static func softmaxBody(_ problem: AttentionProblem, _ config: AttentionConfig, entryPoint: String) -> String {
        """
        extern "C" __global__ void __launch_bounds__(NW * 32) \(entryPoint)(
            float* __restrict__ scores, const long long* __restrict__ rowOffset, const int L, const long long nnz) {
          const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
          const int i = blockIdx.x * NW + warp;
          if (i >= L) return;
          float* row = scores + (size_t)blockIdx.y * (size_t)nnz + (size_t)rowOffset[i];
          const int n = (int)(rowOffset[i + 1] - rowOffset[i]);
          float m = -INFINITY, l = 0.0f;
          for (int t = lane; t < n; t += 32) {
            const float s = row[t];
            const float mn = fmaxf(m, s);
            l = l * expf(m - mn) + expf(s - mn);
            m = mn;
          }
          #pragma unroll
          for (int off = 16; off > 0; off >>= 1) {
            const float m2 = __shfl_xor_sync(0xffffffffu, m, off), l2 = __shfl_xor_sync(0xffffffffu, l, off);
            const float mn = fmaxf(m, m2);
            // A lane with no score has m = -inf and l = 0: its term is 0, never inf - inf.
            l = (m == -INFINITY ? 0.0f : l * expf(m - mn)) + (m2 == -INFINITY ? 0.0f : l2 * expf(m2 - mn));
            m = mn;
          }
          const float inv = 1.0f / l;
          for (int t = lane; t < n; t += 32) row[t] = expf(row[t] - m) * inv;
        }
        """
    }

    /// SpMM of P (fp32 scores after softmax) with V: warp w of block (x, h) takes row i; lanes load
    /// 32 probabilities at a time (coalesced) and broadcast each, adding p_j V_j over E = d / 32
    /// features per lane; an empty row writes zeros.
    static func spmmBody(_ problem: AttentionProblem, _ config: AttentionConfig, entryPoint: String) -> String {
        """
        \(laneFeatureHelpers(problem))

        extern "C" __global__ void __launch_bounds__(NW * 32) \(entryPoint)(
            const float* __restrict__ scores, const elem_t* __restrict__ v, elem_t* __restrict__ o,
            const int* __restrict__ segStart, const int* __restrict__ segStride, const int* __restrict__ segCount,
            const long long* __restrict__ rowOffset, const int L, const int S, const long long nnz) {
          const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
          const int i = blockIdx.x * NW + warp;
          if (i >= L) return;
          const size_t head = (size_t)blockIdx.y * (size_t)L * D;
          const elem_t* vh = v + head;
          const float* p = scores + (size_t)blockIdx.y * (size_t)nnz + (size_t)rowOffset[i];
          float acc[E];
          #pragma unroll
          for (int e = 0; e < E; ++e) acc[e] = 0.0f;
          for (int s = 0; s < S; ++s) {
            const int c = segCount[i * S + s];
            if (c == 0) break;
            const int st = segStart[i * S + s], sd = segStride[i * S + s];
            for (int t0 = 0; t0 < c; t0 += 32) {
              const float mine = t0 + lane < c ? p[t0 + lane] : 0.0f;
              const int n = min(32, c - t0);
              for (int j = 0; j < n; ++j) {
                const float pj = __shfl_sync(0xffffffffu, mine, j);
                add_pv(acc, pj, vh + (size_t)(st + sd * (t0 + j)) * D, lane);
              }
            }
            p += c;
          }
          store_y(o + head + (size_t)i * D + lane * E, acc);
        }
        """
    }
}
