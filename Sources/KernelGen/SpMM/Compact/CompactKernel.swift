import SparseFormats

// The compact kernel: a memory-bound SpMV / narrow SpMM (m <= 32 columns of X) that reads W in a
// compact format (16-bit column indices, or 4-bit column deltas) so that it moves fewer bytes per
// nonzero than CSR with 32-bit indices (at fp16: 4 or about 2.5 against 6).
//
// Why. At decoding shapes the time is the bytes of W: each nonzero is used for m FMAs only.
// So: every SM busy (blocks own contiguous row ranges sized to fill `blocksPerSM` blocks per SM),
// many bytes in flight per warp (each lane issues `U` loads of `V` entries, 16-byte loads at
// V = 8 fp16, before it multiplies), X in shared memory (a nonzero needs a whole row of X, m
// elements; shared memory serves them without touching L2 again), long rows split over several
// warps, and K cut into chunks when X does not fit shared memory.
//
// Desk check (R = kRows rows per block, S = kSplit, Wp = kWarps, V = kVec, U = kUnroll,
// Kc = kChunk rows of X per chunk, C = kChunks = ceil(K / Kc), M = kM = m):
//
// Who computes what. Block b owns rows [b R, min(n, (b + 1) R)) (grid = ceil(n / R), so every
//   block owns at least one row). Row r of the block is cut into S segments: segment
//   s = r S + p covers entries [start + floor(len p / S), start + floor(len (p + 1) / S)) of the
//   row (start = offsets[row], len = offsets[row + 1] - start): consecutive pieces tile the row,
//   each entry in exactly one segment. Segment s is walked by warp s mod Wp only, so its state
//   (cursor, last column, M partial sums in shared memory) has one writer.
//
// Chunks. Chunk ch stages X rows [c0, c1) = [ch Kc, min((ch + 1) Kc, K)): (c1 - c0) M elements,
//   contiguous in X from element c0 M (16-byte aligned: Kc is a multiple of 8) into xs[0 ..) (as
//   fp32 at M = 1 with 16-bit elements: CompactConfig.stagesXAsFloat),
//   16-byte vectors then a per-element tail. Barriers: one before staging (the previous chunk's
//   readers are done, the initial state is visible), one after (the chunk is visible).
//
// Walk of a segment in chunk ch, by its warp (every lane holds the same pos, base, done: they
//   change only through warp-uniform values). Invariant at the start of chunk ch: entries of the
//   segment below cursor are multiplied, and the entry at cursor (if any) has column >= c0 (true
//   for ch = 0; a chunk ends by setting cursor to the first entry with column >= c1, or to the
//   segment's end, and columns increase along a row). Rounds: base = cursor rounded down to a
//   multiple of V; lane l's u-th vector starts at vp = base + (u 32 + l) V (aligned to V, so the
//   16-bit index vector and the value vector are whole aligned loads; the arrays are padded to a
//   multiple of 8 entries, so vp < end implies the whole vector is inside the allocation). An
//   entry q is live when cursor <= q < end. A live entry with column >= c1 is a stop candidate;
//   every other live entry is multiplied: acc[j] += w x xs[(c - c0) M + j], with c0 <= c < c1.
//   After a round the warp's least stop candidate (if any) becomes the cursor and the chunk ends;
//   otherwise base advances by U 32 V, cursor = base, and the walk ends at end. After the last
//   chunk (c1 = K > every column) the cursor is end: every entry multiplied exactly once.
//   delta4: an entry's column is last + the sum of (delta + 1) over live entries up to it (last =
//   the column of the entry before cursor, -1 at the row's start; delta4 rows are never split).
//   Each lane sums its V steps (prefix in registers), a warp inclusive scan (shfl_up) gives the
//   lanes before it, and a carry adds the rounds' and earlier vectors' totals; a stop sets last
//   to the stop entry's column minus its step (the column before it). Padding entries (value 0)
//   are multiplied like any other: they add 0 for finite X.
//
// Partial sums. At the end of a segment's walk in a chunk the warp reduces each acc[j] over its
//   32 lanes (xor butterfly) and lane 0 adds it to part[s M + j]; lane 0 stores cursor and last.
//
// Epilogue. After the last chunk and a barrier, thread t of the block writes elements
//   i = t, t + threads, ... of its rows (row r = i / M, column j = i mod M):
//   y[(b R + r) M + j] = epilogue(sum over p < S of part[(r S + p) M + j]): each element of Y once,
//   rows of empty segments too (0, or the bias); bias + residual adds residual[(b R + r) M + j],
//   the element of Y's shape at the same place.
enum CompactKernel {
    static func render(_ problem: SpMMProblem, _ config: CompactConfig, entryPoint: String) -> String {
        let parameters = config.parameters(for: problem)
        let bias = problem.epilogue.hasBias ? "const float b = to_f32(bias[row]);\n        " : ""
        let value = KernelGen.epilogueExpression(problem.epilogue, "v", residual: "to_f32(residual[(size_t)row * kM + j])")
        let (offsets, indices, values) = config.format == .csr16
            ? ("rowOffsets", "columnIndices16", "values") : ("deltaOffsets", "deltaNibbles", "deltaValues")
        return """
            \(header(problem, config))

            \(config.format == .csr16 ? CompactKernel.walkCSR16 : CompactKernel.walkDelta4)

            extern "C" __global__ void __launch_bounds__(kThreads, kBlocksPerSM) \(entryPoint)(\(KernelParameter.cList(parameters))) {
              extern __shared__ __align__(16) unsigned char smem[];
              xs_t* xs = reinterpret_cast<xs_t*>(smem);
              float* part = reinterpret_cast<float*>(smem + kXBytes);
              int* cursor = reinterpret_cast<int*>(part + kSegs * kM);
              int* lastCol = cursor + kSegs;
              (void)m;
              const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
              const int rowBegin = blockIdx.x * kRows;
              const int rowsHere = min(kRows, n - rowBegin);
              const int segsHere = rowsHere * kSplit;
              for (int s = tid; s < segsHere; s += kThreads) {
                const int row = rowBegin + s / kSplit, piece = s % kSplit;
                const int start = __ldg(\(offsets) + row), len = __ldg(\(offsets) + row + 1) - start;
                cursor[s] = start + (int)(((long long)len * piece) / kSplit);
                lastCol[s] = -1;
              }
              for (int i = tid; i < segsHere * kM; i += kThreads) part[i] = 0.0f;
              for (int ch = 0; ch < kChunks; ++ch) {
                const int c0 = ch * kChunk, c1 = min(c0 + kChunk, kK);
                __syncthreads();
                stage_x(xs, x, c0, c1);
                __syncthreads();
                for (int s = warp; s < segsHere; s += kWarps) {
                  const int row = rowBegin + s / kSplit, piece = s % kSplit;
                  const int start = __ldg(\(offsets) + row), len = __ldg(\(offsets) + row + 1) - start;
                  const int end = start + (int)(((long long)len * (piece + 1)) / kSplit);
                  float acc[kM];
            #pragma unroll
                  for (int j = 0; j < kM; ++j) acc[j] = 0.0f;
                  int pos = cursor[s], last = lastCol[s];
                  walk(\(indices), \(values), xs, lane, c0, c1, end, pos, last, acc);
            #pragma unroll
                  for (int j = 0; j < kM; ++j) {
                    float v = acc[j];
            #pragma unroll
                    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
                    if (lane == 0) part[s * kM + j] += v;
                  }
                  if (lane == 0) {
                    cursor[s] = pos;
                    lastCol[s] = last;
                  }
                }
              }
              __syncthreads();
              for (int i = tid; i < rowsHere * kM; i += kThreads) {
                const int r = i / kM, j = i - r * kM, row = rowBegin + r;
                float v = 0.0f;
            #pragma unroll
                for (int p = 0; p < kSplit; ++p) v += part[(r * kSplit + p) * kM + j];
                \(bias)y[(size_t)row * kM + j] = from_f32(\(value));
              }
            }

            """
    }

    /// Everything before the walk and the kernel: the element type, the layout's constants, the
    /// loads of W's entries and of staged X rows, and `multiply_row`.
    static func header(_ problem: SpMMProblem, _ config: CompactConfig) -> String {
        let type = problem.elementType
        let xWidth = xLoadWidth(problem)
        let xsFloat = config.stagesXAsFloat(problem)
        let stageVector = xsFloat
            ? "float o[8];\n    unpack_x8(__ldg(reinterpret_cast<const uint4*>(src) + q), o);\n"
                + "    reinterpret_cast<float4*>(xs)[2 * q] = make_float4(o[0], o[1], o[2], o[3]);\n"
                + "    reinterpret_cast<float4*>(xs)[2 * q + 1] = make_float4(o[4], o[5], o[6], o[7]);"
            : "reinterpret_cast<uint4*>(xs)[q] = __ldg(reinterpret_cast<const uint4*>(src) + q);"
        return """
            \(ElementCode.includes(type))
            typedef \(ElementCode.cType(type)) elem_t;
            typedef \(xsFloat ? "float" : "elem_t") xs_t;  // staged X's elements

            #define kWarps \(config.warps)
            #define kThreads \(config.threadsPerBlock)
            #define kVec \(config.vectorWidth)
            #define kUnroll \(config.unroll)
            #define kSplit \(config.split)
            #define kM \(problem.m)
            #define kK \(problem.k)
            #define kChunk \(config.chunkRows(for: problem))
            #define kChunks \(config.chunkCount(for: problem))
            #define kRows \(config.rowsPerBlock(for: problem))
            #define kBlocksPerSM \(config.blocksPerSM)
            #define kSegs (kRows * kSplit)
            #define kXBytes \(config.xBytes(for: problem))
            #define kXWidth \(xWidth)
            #define kFull 0xffffffffu

            \(ElementCode.conversions(type))

            \(ElementCode.denseLoad(type, width: config.vectorWidth, name: "load_w"))

            \(ElementCode.denseLoad(xsFloat ? .f32 : type, width: xWidth, name: "load_xs", shared: true, pointee: "xs_t"))

            \(indexLoad(config))
            \(config.format == .csr16 ? roundLoad : "")

            // The sum of v over lanes 0 ... lane (shfl_up scan; the shuffle's own predicate, false
            // where lane < o, guards the add: two instructions a step).
            __device__ __forceinline__ int warp_inclusive_sum(int v) {
            #pragma unroll
              for (int o = 1; o < 32; o <<= 1) {
                asm volatile("{\\n .reg .s32 t;\\n .reg .pred p;\\n shfl.sync.up.b32 t|p, %0, %1, 0, -1;\\n @p add.s32 %0, %0, t;\\n}"
                             : "+r"(v) : "r"(o));
              }
              return v;
            }

            __device__ __forceinline__ int warp_min(int v) {
            #pragma unroll
              for (int o = 16; o > 0; o >>= 1) v = min(v, __shfl_xor_sync(kFull, v, o));
              return v;
            }

            \(xsFloat ? ElementCode.denseUnpack(type, width: 8, name: "unpack_x8") : "")
            // X rows [c0, c1) (kM elements each, contiguous in X from element c0 kM, 16-byte aligned)
            // into xs (as xs_t): 16-byte vectors, then a per-element tail; every thread of the block takes part.
            __device__ __forceinline__ void stage_x(xs_t* xs, const elem_t* __restrict__ x, int c0, int c1) {
              const int count = (c1 - c0) * kM;
              const elem_t* src = x + (size_t)c0 * kM;
              const int vectors = count * (int)sizeof(elem_t) / 16;
              for (int q = threadIdx.x; q < vectors; q += kThreads) {
                \(stageVector)
              }
              for (int e = vectors * 16 / (int)sizeof(elem_t) + threadIdx.x; e < count; e += kThreads) xs[e] = \(xsFloat ? "to_f32(src[e])" : "src[e]");
            }

            // acc[j] += w * X[c - c0][j] for j < kM, from the staged chunk.
            __device__ __forceinline__ void multiply_row(const xs_t* __restrict__ xs, int r, float w, float (&acc)[kM]) {
              const xs_t* xr = xs + r * kM;
            #pragma unroll
              for (int j0 = 0; j0 < kM; j0 += kXWidth) {
                float xv[kXWidth];
                load_xs(xr + j0, xv);
            #pragma unroll
                for (int t = 0; t < kXWidth; ++t) acc[j0 + t] = fmaf(w, xv[t], acc[j0 + t]);
              }
            }
            """
    }

    /// `load_round`: one round of a csr16 row walk, `kUnroll` vectors of `kVec` entries a lane
    /// (zeros where a vector starts at or past `end`).
    static let roundLoad = """
        __device__ __forceinline__ void load_round(
            const unsigned short* __restrict__ idx, const elem_t* __restrict__ val, int base, int end, int lane,
            int (&col)[kUnroll][kVec], float (&w)[kUnroll][kVec]) {
        #pragma unroll
          for (int u = 0; u < kUnroll; ++u) {
            const int vp = base + (u * 32 + lane) * kVec;
            if (vp < end) {
              load_idx(idx + vp, col[u]);
              load_w(val + vp, w[u]);
            } else {
        #pragma unroll
              for (int e = 0; e < kVec; ++e) { col[u][e] = 0; w[u][e] = 0.0f; }
            }
          }
        }
        """

    /// Elements of one staged X row read per shared load: the widest of 8, 4, 2, 1 that divides m
    /// and moves at most 16 bytes.
    static func xLoadWidth(_ problem: SpMMProblem) -> Int {
        [8, 4, 2, 1].first { problem.m % $0 == 0 && $0 * problem.elementType.byteWidth <= 16 } ?? 1
    }

    /// `load_idx(p, c)`: `kVec` 16-bit column indices (csr16) or 4-bit deltas (delta4, `p` at the
    /// byte of the vector's first entry) from one aligned load.
    static func indexLoad(_ config: CompactConfig) -> String {
        let v = config.vectorWidth
        switch config.format {
        case .csr16:
            let raw = v == 2 ? "unsigned" : v == 4 ? "uint2" : "uint4"
            let words = v == 2 ? ["t"] : v == 4 ? ["t.x", "t.y"] : ["t.x", "t.y", "t.z", "t.w"]
            let unpack = words.enumerated().map { i, w in "  c[\(2 * i)] = (int)(\(w) & 0xffffu); c[\(2 * i + 1)] = (int)(\(w) >> 16);" }
            return """
                __device__ __forceinline__ void load_idx(const unsigned short* __restrict__ p, int (&c)[kVec]) {
                  const \(raw) t = __ldg(reinterpret_cast<const \(raw)*>(p));
                \(unpack.joined(separator: "\n"))
                }
                """
        case .delta4:
            let raw = v == 2 ? "unsigned char" : v == 4 ? "unsigned short" : "unsigned"
            return """
                __device__ __forceinline__ void load_idx(const unsigned char* __restrict__ p, int (&c)[kVec]) {
                  const unsigned t = (unsigned)__ldg(reinterpret_cast<const \(raw)*>(p));
                #pragma unroll
                  for (int e = 0; e < kVec; ++e) c[e] = (int)((t >> (4 * e)) & 15u);
                }
                """
        }
    }
}
