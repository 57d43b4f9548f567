// The compact kernel's double-buffered walk (CompactConfig.doubleBuffered): csr16, whole rows
// (split 1), all of X staged at once (one chunk).
//
// Why. The single-buffered walk (CompactKernel.swift) loads a round of entries, waits, multiplies,
// and only then loads the next round; a row's last round ends with the warp's reduction before the
// next row's first load. Profiled on an H200 (docs/perf/2026-12-01-h200-session10, 11008 x 4096 at
// 0.9, n = 1), 37% of its warps' stall samples waited on those loads (long scoreboard) and 10% on
// the final barrier. Here a warp always has its next round in flight while it multiplies the
// current one, across row ends, and writes each row's Y itself (no barrier after the walk).
//
// Desk check (R = kRows, Wp = kWarps, V = kVec, U = kUnroll, M = kM):
//
// Who computes what. Block b owns rows [b R, min(n, (b + 1) R)); the block stages their R + 1
//   row offsets (offs) and all K rows of X (xs) into shared memory, then one barrier. Warp w walks
//   rows w, w + Wp, ... of the block, each whole, in order: every row of the block has exactly one
//   walker and is written exactly once (rows without entries too: 0 or the bias).
// Rounds. A row [start, end) is walked in rounds: base = start rounded down to a multiple of V,
//   then base + U 32 V, ... while base < end. In a round lane l's u-th vector starts at
//   vp = base + (u 32 + l) V (aligned to V; the arrays are padded to a multiple of 8 entries, so
//   vp < end implies the whole vector is inside the allocation); an entry q of it is live when
//   start <= q < end, and a live entry adds w x xs[c M + j] into acc[j], j < M. Each entry of the
//   row lies in exactly one round's vectors, so it is multiplied exactly once.
// Double buffer. The warp holds the current round (cur*) and loads the next (nxt*): the same
//   row's next base, or, when that passes the row's end, the first round of its next row (the
//   offsets come from shared memory). Warp-uniform state (row, start, end, base) decides which, so
//   every lane agrees. After multiplying a row's last round the warp sums each acc[j] over its 32
//   lanes (xor butterfly, so every lane holds the sum), lane j writes Y[row][j] = epilogue(sum),
//   and acc restarts at 0.

extension CompactKernel {
    static func renderDoubleBuffered(_ problem: SpMMProblem, _ config: CompactConfig, entryPoint: String) -> String {
        precondition(config.format == .csr16 && config.split == 1, "renderDoubleBuffered: validate() admits csr16 with split 1 only")
        let parameters = config.parameters(for: problem)
        let bias = problem.epilogue.hasBias ? "const float b = to_f32(bias[row]);\n            " : ""
        let value = KernelGen.epilogueExpression(problem.epilogue, "v", residual: "to_f32(residual[(size_t)row * kM + j])")
        return """
            \(header(problem, config))

            extern "C" __global__ void __launch_bounds__(kThreads, kBlocksPerSM) \(entryPoint)(\(KernelParameter.cList(parameters))) {
              extern __shared__ __align__(16) unsigned char smem[];
              elem_t* xs = reinterpret_cast<elem_t*>(smem);
              int* offs = reinterpret_cast<int*>(smem + kXBytes);
              (void)m;
              const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
              const int rowBegin = blockIdx.x * kRows;
              const int rowsHere = min(kRows, n - rowBegin);
              for (int i = tid; i <= rowsHere; i += kThreads) offs[i] = __ldg(rowOffsets + rowBegin + i);
              stage_x(xs, x, 0, kK);
              __syncthreads();
              int r = warp;
              if (r >= rowsHere) return;
              int start = offs[r], end = offs[r + 1], base = start & ~(kVec - 1);
              int col[kUnroll][kVec];
              float w[kUnroll][kVec];
              load_round(columnIndices16, values, base, end, lane, col, w);
              float acc[kM];
            #pragma unroll
              for (int j = 0; j < kM; ++j) acc[j] = 0.0f;
              while (true) {
                // The next round: this row's, or the next row's first (nr >= rowsHere: none).
                int nr = r, ns = start, ne = end, nb = base + kUnroll * 32 * kVec;
                if (nb >= end) {
                  nr = r + kWarps;
                  if (nr < rowsHere) { ns = offs[nr]; ne = offs[nr + 1]; nb = ns & ~(kVec - 1); }
                }
                int ncol[kUnroll][kVec];
                float nw[kUnroll][kVec];
                load_round(columnIndices16, values, nb, nr < rowsHere ? ne : nb, lane, ncol, nw);
            #pragma unroll
                for (int u = 0; u < kUnroll; ++u) {
                  const int vp = base + (u * 32 + lane) * kVec;
            #pragma unroll
                  for (int e = 0; e < kVec; ++e) {
                    const int q = vp + e;
                    if (q >= start && q < end) multiply_row(xs, col[u][e], w[u][e], acc);
                  }
                }
                if (nr != r) {
                  const int row = rowBegin + r;
            #pragma unroll
                  for (int j = 0; j < kM; ++j) {
                    float v = acc[j];
            #pragma unroll
                    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
                    acc[j] = 0.0f;
                    if (lane == j) {
                      \(bias)y[(size_t)row * kM + j] = from_f32(\(value));
                    }
                  }
                  if (nr >= rowsHere) break;
                }
                r = nr; start = ns; end = ne; base = nb;
            #pragma unroll
                for (int u = 0; u < kUnroll; ++u) {
            #pragma unroll
                  for (int e = 0; e < kVec; ++e) { col[u][e] = ncol[u][e]; w[u][e] = nw[u][e]; }
                }
              }
            }

            """
    }
}
