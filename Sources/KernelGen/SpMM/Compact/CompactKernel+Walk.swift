// The two walks of one segment through one chunk (see the desk check in CompactKernel.swift).
extension CompactKernel {
    /// CSR16: columns are the 16-bit indices themselves.
    static let walkCSR16 = """
        __device__ __forceinline__ void walk(
            const unsigned short* __restrict__ idx, const elem_t* __restrict__ val, const xs_t* __restrict__ xs,
            int lane, int c0, int c1, int end, int& pos, int& last, float (&acc)[kM]) {
          (void)last;
          int base = pos & ~(kVec - 1);
          bool done = pos >= end;
          while (!done) {
            int col[kUnroll][kVec];
            float w[kUnroll][kVec];
            load_round(idx, val, base, end, lane, col, w);
            int stopAt = 0x7fffffff;
        #pragma unroll
            for (int u = 0; u < kUnroll; ++u) {
              const int vp = base + (u * 32 + lane) * kVec;
        #pragma unroll
              for (int e = 0; e < kVec; ++e) {
                const int q = vp + e;
                if (q >= pos && q < end) {
                  const int c = col[u][e];
                  if (c >= c1) {
                    stopAt = min(stopAt, q);
                  } else {
                    multiply_row(xs, c - c0, w[u][e], acc);
                  }
                }
              }
            }
            if (__any_sync(kFull, stopAt != 0x7fffffff)) {
              pos = warp_min(stopAt);
              done = true;
            } else {
              base += kUnroll * 32 * kVec;
              pos = base;
              if (pos >= end) {
                pos = end;
                done = true;
              }
            }
          }
          if (pos > end) pos = end;
        }
        """

    /// delta4: columns are running sums of (delta + 1) from `last`, scanned across the warp.
    static let walkDelta4 = """
        __device__ __forceinline__ void walk(
            const unsigned char* __restrict__ nib, const elem_t* __restrict__ val, const xs_t* __restrict__ xs,
            int lane, int c0, int c1, int end, int& pos, int& last, float (&acc)[kM]) {
          int base = pos & ~(kVec - 1);
          bool done = pos >= end;
          while (!done) {
            int d[kUnroll][kVec];
            float w[kUnroll][kVec];
        #pragma unroll
            for (int u = 0; u < kUnroll; ++u) {
              const int vp = base + (u * 32 + lane) * kVec;
              if (vp < end) {
                load_idx(nib + (vp >> 1), d[u]);
                load_w(val + vp, w[u]);
              } else {
        #pragma unroll
                for (int e = 0; e < kVec; ++e) { d[u][e] = 0; w[u][e] = 0.0f; }
              }
            }
            int stopAt = 0x7fffffff, stopLast = 0, carry = last;
        #pragma unroll
            for (int u = 0; u < kUnroll; ++u) {
              const int vp = base + (u * 32 + lane) * kVec;
              int step[kVec];
              int run = 0;
        #pragma unroll
              for (int e = 0; e < kVec; ++e) {
                const int q = vp + e;
                run += (q >= pos && q < end) ? d[u][e] + 1 : 0;
                step[e] = run;
              }
              const int inclusive = warp_inclusive_sum(run);
              const int before = carry + inclusive - run;
        #pragma unroll
              for (int e = 0; e < kVec; ++e) {
                const int q = vp + e;
                if (q >= pos && q < end) {
                  const int c = before + step[e];
                  if (c >= c1) {
                    if (stopAt == 0x7fffffff) {
                      stopAt = q;
                      stopLast = c - d[u][e] - 1;
                    }
                  } else {
                    multiply_row(xs, c - c0, w[u][e], acc);
                  }
                }
              }
              carry += __shfl_sync(kFull, inclusive, 31);
            }
            if (__any_sync(kFull, stopAt != 0x7fffffff)) {
              pos = warp_min(stopAt);
              const int source = __ffs(__ballot_sync(kFull, stopAt == pos)) - 1;
              last = __shfl_sync(kFull, stopLast, source);
              done = true;
            } else {
              last = carry;
              base += kUnroll * 32 * kVec;
              pos = base;
              if (pos >= end) {
                pos = end;
                done = true;
              }
            }
          }
        }
        """
}
