import SparseFormats

// The X-tiled kernel: a block stages chunks of X in shared memory once for all its rows.
//
// Why. The tiled kernel reads a row segment of X (its tile width) through L1/L2 for every
// nonzero; with random patterns L1 rarely hits, so L2 bandwidth bounds it (nnz x m elements).
// Here a block of R rows reads each X element of its tile from L2 once per chunk (K x T per
// block, ceil(n / R) x K x m in all) and every row with a nonzero in that column reuses it from
// shared memory: the L2 traffic drops by about R x density. Shared memory is then read once
// per FMA (the bound of this design: 4 bytes per fp32 FMA at 128 bytes per clock per SM).
//
// Desk check of the index math (S = kSubwarp, R = kRows, T = kTile, V = kVec, Kc = kChunk,
// J = kVecsPerThread = T / (V * S), TV = kTileVecs = T / V, stride = kStride = T + pad):
//
// Who computes what. block (bx, by), thread (lane = threadIdx.x in 0..<S, sub = threadIdx.y in
//   0..<R), tid = sub * S + lane (the linear thread index: warps are tid / 32). slot = bx * R +
//   sub (grid.x = ceil(n / R); slots >= n are inactive), row = rowOrder[slot] (or slot): a
//   permutation, so each row has exactly one subwarp. colBase = by * T (grid.y = ceil(m / T)).
//   The lane owns columns c0 = colBase + (j * S + lane) * V .. c0 + V - 1 for j in 0..<J, exactly
//   as in the tiled kernel, so every Y element has exactly one owner; live[j] = c0 < m, and
//   m % V == 0 makes every live vector whole and aligned.
//
// Column bounds (no K parameter needed). Each active, non-empty row needs columns
//   [columnIndices[start], columnIndices[end - 1] + 1) (columns are sorted within a row: the
//   canonical CSR of the launch contract). A warp min/max reduction, one int pair per warp in
//   shared memory and a __syncthreads() give every thread the same block bounds
//   kBegin = min first column, kEnd = max last column + 1 (kBegin = INT_MAX, kEnd = 0 when every
//   row is empty or inactive). kEnd <= K, so every X row below kEnd exists.
//
// Chunks. chunks = kEnd > kBegin ? ceil((kEnd - kBegin) / Kc) : 0, the same for every thread.
//   Chunk ch covers X rows [k0, kHi) with k0 = kBegin + ch * Kc, kHi = min(k0 + Kc, kEnd).
//   Staging: vector q in 0..<Kc * TV (thread tid copies q = i * threads + tid) is staged row
//   r = q / TV, column u = (q % TV) * V: X[k0 + r, colBase + u .. + V - 1] -> s[r * stride + u ..],
//   copied only when k0 + r < kEnd and colBase + u < m (consecutive threads: consecutive
//   vectors of one X row, coalesced). Skipped entries are never read: a staged row is read only
//   for a nonzero column c in [k0, kHi) (so r = c - k0 < kEnd - k0), and a column only by a live
//   vector (colBase + u < m).
//
// Row walk. Each subwarp keeps a cursor p (start <= p <= end, uniform over its lanes): positions
//   below p are done. Positions are read four at a time (a "group" at gp, a multiple of 4, so
//   int4 / 4-element loads are aligned); the next group is prefetched into registers. Group
//   positions at or past end read as column INT_MAX; positions below start (the previous row's)
//   are loaded but masked by q >= p. In chunk [k0, kHi) the subwarp multiplies, in position
//   order, every q >= p with column < kHi and sets p = q + 1; it stops at the first column >= kHi
//   (or at end). Since columns are sorted and kBegin <= the row's first column, induction over
//   chunks gives: at the start of chunk ch, every remaining position has column >= k0, so each
//   multiplied position reads staged row c - k0 in [0, Kc) of this chunk; after the last chunk
//   (kHi = kEnd > every column) p = end. So each row multiplies exactly start ..< end, once each.
//   Reads of columnIndices / values are within [gp, min(gp + 4, end)) with gp >= start & ~3 >= 0.
//
// Multiply. acc[j][t] += W[row, c] * s[(c - k0) * stride + (j * S + lane) * V + t] for live j:
//   consecutive lanes read consecutive V-vectors of one staged row (see XTileConfig.rowPad for banks).
//
// Synchronisation. Every thread reaches every __syncthreads(): there is no return before the
//   epilogue (inactive slots walk an empty row) and the chunk count is block-uniform. Single
//   buffer: stage, sync (visible), walk, sync (all reads done before the next chunk
//   overwrites). Double buffer: chunk ch + 1 is copied with cp.async into the other buffer
//   while ch is walked; that buffer was last read in iteration ch - 1, which ended with a
//   __syncthreads(). wait_group 1 then __syncthreads() makes chunk ch visible to every thread.
//   The bounds header is written once before the first barrier and never overwritten.
//
// Epilogue. As in the tiled kernel: each live vector of an active row, o = acc (+ bias)
//   (ReLU keeps NaN; GELU exact; bias + residual reads the residual vector at the same place
//   with load_x, declared only for that epilogue), stored once; empty rows store the bias (or 0)
//   plus the residual.
enum XTileKernel {
    static func render(_ problem: SpMMProblem, _ config: XTileConfig, entryPoint: String) -> String {
        let type = problem.elementType
        let parameters = KernelGen.parameters(for: problem)
        let rowExpression = problem.rowOrdering == .identity ? "slot" : "__ldg(rowOrder + slot)"
        return """
            \(ElementCode.includes(type))
            typedef \(ElementCode.cType(type)) elem_t;

            \(constants(problem, config))

            \(ElementCode.conversions(type))

            \(ElementCode.denseLoad(type, width: config.vectorWidth, name: "load_s", shared: true))

            \(ElementCode.denseLoad(type, width: 4, name: "load_w4"))
            \(problem.epilogue.hasResidual ? "\n" + ElementCode.denseLoad(type, width: config.vectorWidth) + "\n" : "")
            \(ElementCode.denseStore(type, width: config.vectorWidth))

            \(copyHelpers(config, type))

            \(stageX(config))

            \(loadGroup)

            \(walkChunk)

            // kRows rows of kSubwarp lanes per block share staged chunks of X; see the invariants
            // in KernelGen's XTileKernel.swift.
            extern "C" __global__ void
            \(entryPoint)(\(KernelParameter.cList(parameters))) {
              extern __shared__ __align__(16) unsigned char smem[];
              const int lane = threadIdx.x;
              const int tid = threadIdx.y * kSubwarp + lane;
              const int slot = blockIdx.x * kRows + threadIdx.y;
              // No early return: every thread must reach every __syncthreads() below.
              const bool active = slot < n;
              const int row = active ? \(rowExpression) : 0;
              const int start = active ? __ldg(rowOffsets + row) : 0;
              const int end = active ? __ldg(rowOffsets + row + 1) : 0;

              // Block bounds of the columns any row needs: [kBegin, kEnd), kEnd <= K.
              int first = 0x7fffffff, last = 0;
              if (start < end) {
                first = __ldg(columnIndices + start);
                last = __ldg(columnIndices + end - 1) + 1;
              }
            #pragma unroll
              for (int o = 16; o > 0; o >>= 1) {
                first = min(first, __shfl_xor_sync(0xffffffffu, first, o));
                last = max(last, __shfl_xor_sync(0xffffffffu, last, o));
              }
              int* const sBounds = reinterpret_cast<int*>(smem);
              if ((tid & 31) == 0) {
                sBounds[tid >> 5] = first;
                sBounds[kWarps + (tid >> 5)] = last;
              }
              __syncthreads();
              int kBegin = sBounds[0], kEnd = sBounds[kWarps];
            #pragma unroll
              for (int q = 1; q < kWarps; ++q) {
                kBegin = min(kBegin, sBounds[q]);
                kEnd = max(kEnd, sBounds[kWarps + q]);
              }
              const int chunks = kEnd > kBegin ? (kEnd - kBegin - 1) / kChunk + 1 : 0;

              const int colBase = blockIdx.y * kTile;
              bool live[kVecsPerThread];
              float acc[kVecsPerThread][kVec];
            #pragma unroll
              for (int j = 0; j < kVecsPerThread; ++j) {
                live[j] = colBase + (j * kSubwarp + lane) * kVec < m;
            #pragma unroll
                for (int t = 0; t < kVec; ++t) acc[j][t] = 0.0f;
              }

              // The row cursor and two groups of four (column, value) pairs in registers.
              int p = start;
              int gp = start & ~3;
              int c[4], nc[4];
              float w[4], nw[4];
              load_group(c, w, columnIndices, values, gp, end);
              load_group(nc, nw, columnIndices, values, gp + 4, end);

              elem_t* const sX = reinterpret_cast<elem_t*>(smem + kBoundsBytes);
            \(config.doubleBuffered ? doubleBufferedLoop : singleBufferedLoop)
              if (!active) return;  // after the last barrier
            \(TiledKernel.epilogue(problem))
            }

            """
    }

    static func constants(_ problem: SpMMProblem, _ config: XTileConfig) -> String {
        let type = problem.elementType
        return """
            constexpr int kSubwarp = \(config.subwarpSize);  // lanes per output row
            constexpr int kRows = \(config.rowsPerBlock);  // output rows per block
            constexpr int kThreads = kRows * kSubwarp;
            constexpr int kWarps = kThreads / 32;
            constexpr int kTile = \(config.tileWidth);  // columns of Y per block
            constexpr int kVec = \(config.vectorWidth);  // elements per dense load / store
            constexpr int kVecsPerThread = \(config.vectorsPerThread);  // kTile / (kVec * kSubwarp)
            constexpr int kChunk = \(config.chunkSize);  // rows of X staged per step
            constexpr int kStride = \(config.rowStride(type));  // elements per staged row (tile + bank pad)
            constexpr int kBuffer = kChunk * kStride;  // elements per X buffer
            constexpr int kBoundsBytes = \(config.boundsBytes);  // bytes before the first X buffer
            constexpr int kTileVecs = kTile / kVec;  // vectors per staged row
            constexpr int kCopyVecs = kChunk * kTileVecs;  // vectors staged per chunk
            constexpr int kCopies = \(config.copiesPerThread);  // ceil(kCopyVecs / kThreads), a multiple of kCopyBatch
            constexpr int kCopyBatch = \(config.copyBatch);  // copies per thread issued together
            static_assert(32 % kSubwarp == 0, "a subwarp must not straddle warps");
            static_assert(kThreads % 32 == 0, "threads per block must be a multiple of the warp size");
            static_assert(kTile == kVecsPerThread * kVec * kSubwarp, "the tile is whole vectors per lane");
            static_assert(kStride % kVec == 0 && kBoundsBytes % 16 == 0, "staged rows stay vector-aligned");
            static_assert(kCopies * kThreads >= kCopyVecs, "every vector of a chunk has a copier");
            static_assert(kCopies % kCopyBatch == 0, "whole batches of copies");
            """
    }

    /// `copy_vec(dst, src)`: one vector of X from global to shared memory, synchronously or with
    /// `cp.async` (plus commit and waits) when double buffered.
    static func copyHelpers(_ config: XTileConfig, _ type: ElementType) -> String {
        let raw = ElementCode.rawType(type, count: config.vectorWidth)
        guard config.doubleBuffered else {
            return """
                __device__ __forceinline__ void copy_vec(elem_t* dst, const elem_t* __restrict__ src) {
                  *reinterpret_cast<\(raw)*>(dst) = __ldg(reinterpret_cast<const \(raw)*>(src));
                }
                """
        }
        let bytes = config.vectorWidth * type.byteWidth
        // .cg (L2 only: X chunks are not reused through L1) exists for 16-byte copies only.
        let op = bytes == 16 ? "cp.async.cg.shared.global" : "cp.async.ca.shared.global"
        return """
            __device__ __forceinline__ void copy_vec(elem_t* dst, const elem_t* __restrict__ src) {
              const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
              asm volatile("\(op) [%0], [%1], \(bytes);\\n" :: "r"(d), "l"(src) : "memory");
            }
            __device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\\n" ::: "memory"); }
            __device__ __forceinline__ void cp_async_wait_one() { asm volatile("cp.async.wait_group 1;\\n" ::: "memory"); }
            __device__ __forceinline__ void cp_async_wait_all() { asm volatile("cp.async.wait_group 0;\\n" ::: "memory"); }
            """
    }

    /// `stage_x`: the block's copy of X rows [k0, min(k0 + kChunk, kEnd)), columns
    /// [colBase, min(colBase + kTile, m)) into one buffer; other entries are left as they are.
    static func stageX(_ config: XTileConfig) -> String {
        let masked = config.copiesPerThread * config.threadsPerBlock != config.copyVectors
        return """
            // Copies X[k0 + r, colBase + u ..< + kVec] to dst[r * kStride + u] for every staged vector
            // below kEnd and m; consecutive threads copy consecutive vectors of one row (coalesced).
            __device__ __forceinline__ void stage_x(
                elem_t* __restrict__ dst, const elem_t* __restrict__ x, int k0, int kEnd, int colBase, int m, int tid) {
              const int rows = kEnd - k0;  // staged rows at or past this are never read
              // Batches of kCopyBatch copies: their loads are issued together, but a whole chunk's
              // loads in flight (up to 32 vectors per thread) would cost more registers than they save.
            #pragma unroll 1
              for (int b = 0; b < kCopies; b += kCopyBatch) {
            #pragma unroll
              for (int i = b; i < b + kCopyBatch; ++i) {
                const int q = i * kThreads + tid;
                const int r = q / kTileVecs;
                const int u = (q - r * kTileVecs) * kVec;
                if (\(masked ? "q < kCopyVecs && " : "")r < rows && colBase + u < m) {
                  copy_vec(dst + r * kStride + u, x + (long long)(k0 + r) * m + colBase + u);
                }
              }
              }
            }
            """
    }

    static let loadGroup = """
        // Positions gp ..< gp + 4 of the row arrays (gp a multiple of 4: aligned vector loads);
        // positions at or past `end` are not read and get column INT_MAX (above every chunk).
        __device__ __forceinline__ void load_group(
            int (&c)[4], float (&w)[4], const int* __restrict__ columnIndices, const elem_t* __restrict__ values,
            int gp, int end) {
          if (gp + 4 <= end) {
            const int4 ci = __ldg(reinterpret_cast<const int4*>(columnIndices + gp));
            c[0] = ci.x; c[1] = ci.y; c[2] = ci.z; c[3] = ci.w;
            load_w4(values + gp, w);
          } else {
        #pragma unroll
            for (int t = 0; t < 4; ++t) {
              const bool in = gp + t < end;
              c[t] = in ? __ldg(columnIndices + gp + t) : 0x7fffffff;
              w[t] = in ? to_f32(values[gp + t]) : 0.0f;
            }
          }
        }
        """

    static let walkChunk = """
        // Multiplies, in order, the row's positions q >= p whose column lies below kHi (all at or
        // above k0, staged at row column - k0 of sLane's buffer) and advances p past them; moves to
        // the prefetched group whenever the current one is used up.
        __device__ __forceinline__ void walk_chunk(
            float (&acc)[kVecsPerThread][kVec], const bool (&live)[kVecsPerThread], const elem_t* __restrict__ sLane,
            int k0, int kHi, int& p, int& gp, int (&c)[4], float (&w)[4], int (&nc)[4], float (&nw)[4],
            const int* __restrict__ columnIndices, const elem_t* __restrict__ values, int end) {
          for (;;) {
        #pragma unroll
            for (int t = 0; t < 4; ++t) {
              if (gp + t >= p && c[t] < kHi) {
                const elem_t* const xs = sLane + (c[t] - k0) * kStride;
        #pragma unroll
                for (int j = 0; j < kVecsPerThread; ++j) {
                  if (live[j]) {
                    float xv[kVec];
                    load_s(xs + j * (kSubwarp * kVec), xv);
        #pragma unroll
                    for (int u = 0; u < kVec; ++u) acc[j][u] = fmaf(w[t], xv[u], acc[j][u]);
                  }
                }
                p = gp + t + 1;
              }
            }
            if (p < gp + 4) break;  // stopped at a column >= kHi, or at the end of the row
            gp += 4;
        #pragma unroll
            for (int t = 0; t < 4; ++t) {
              c[t] = nc[t];
              w[t] = nw[t];
            }
            load_group(nc, nw, columnIndices, values, gp + 4, end);
          }
        }
        """

    static let singleBufferedLoop = """
          for (int ch = 0; ch < chunks; ++ch) {
            const int k0 = kBegin + ch * kChunk;
            const int kHi = kEnd - k0 < kChunk ? kEnd : k0 + kChunk;
            stage_x(sX, x, k0, kEnd, colBase, m, tid);
            __syncthreads();  // the chunk is visible to every row
            walk_chunk(acc, live, sX + lane * kVec, k0, kHi, p, gp, c, w, nc, nw, columnIndices, values, end);
            __syncthreads();  // every row done reading before the next chunk overwrites
          }
        """

    static let doubleBufferedLoop = """
          if (chunks > 0) {
            stage_x(sX, x, kBegin, kEnd, colBase, m, tid);
            cp_async_commit();
          }
          for (int ch = 0; ch < chunks; ++ch) {
            const int k0 = kBegin + ch * kChunk;
            const int kHi = kEnd - k0 < kChunk ? kEnd : k0 + kChunk;
            elem_t* const current = sX + (ch & 1) * kBuffer;
            if (ch + 1 < chunks) {
              // The other buffer was last read in iteration ch - 1, which ended with __syncthreads().
              stage_x(sX + (kBuffer - (ch & 1) * kBuffer), x, kHi, kEnd, colBase, m, tid);
              cp_async_commit();
              cp_async_wait_one();  // this thread's copies of chunk ch have landed
            } else {
              cp_async_wait_all();
            }
            __syncthreads();  // ... and every thread's
            walk_chunk(acc, live, current + lane * kVec, k0, kHi, p, gp, c, w, nc, nw, columnIndices, values, end);
            __syncthreads();  // every row done reading before this buffer is refilled
          }
        """
}
