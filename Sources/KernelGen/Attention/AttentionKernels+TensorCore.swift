import SparseFormats

extension AttentionKernels {
    /// Desk check of the tensor-core kernel for one block (16 x warps queries, d features, tiles of
    /// BK keys, 2-byte elements).
    static func tensorCoreDeskCheck(_ problem: AttentionProblem, _ config: AttentionConfig, plan: AttentionSplitPlan? = nil) -> String {
        let d = problem.headSize, bk = config.keysPerTile, bq = config.queriesPerBlock
        let mma = config.variant == .warpGroup ? "wgmma, a warpgroup's 64 queries a chain" : "mma.sync, each warp's 16 queries"
        let unsplit = "block \(bq) queries x tiles of \(bk) keys; per tile \(4 * bq * bk * d) tensor-core FLOPs on \(mma) (Q K^T and P V, masked "
            + "elements included), \(2 * bk * d * 2) B of K and V copied to shared memory (cp.async, \(config.stages) stage(s)); "
            + "\(config.sharedMemoryBytes(headSize: d, segmentsPerRow: 1)) B dynamic smem at one segment a row (K, V, Q, the rows' segment table; "
            + "\(3 * 4 * bq) B more a segment) and \(config.staticSharedMemoryBytes) B static; at least about \(config.estimatedRegisters(headSize: d)) registers "
            + "a thread (O \(d / 2) + S \(bk / 2) fp32; Q in shared memory); useful work 4 nnz \(d) FLOPs per head"
        guard let plan else { return unsplit }
        return unsplit + "; split at \(plan.tilesPerSplit) tiles: \(plan.items.count) blocks a head for \(plan.blockTiles.count) query blocks, "
            + "the longest walk \(plan.longestItem) tiles (unsplit \(plan.blockTiles.max() ?? 0)); each of \(plan.partials) partials writes "
            + "(max, sum) \(bq * 8) B + unnormalised O \(bq * d * 4) B (rows with keys in it) fp32, the last of a group's splits reads its "
            + "group's back (L2) and writes O; \(plan.groups) counters a head, reset by the merging block"
    }

    /// The fused tensor-core kernel. Block (x, h): residue r = x / B and query block b = x mod B
    /// (B blocks per residue) of head h; its rows are i = r + v (b BQ + 16 w + row) for warp w,
    /// v the view stride. Per ACSR slot s the block's rows' segments span view keys
    /// [lo_s, hi_s] (key = r + v u); the block walks that span in tiles of BK keys, copying K
    /// and V rows into shared memory with `cp.async` (zero-filled past the sequence), then each
    /// warp computes its 16 x BK scores with `mma.m16n8k16` (Q, copied to shared memory once a
    /// block, and K read as A and B fragments by `ldmatrix`), masks every element not in slot s of its row (address arithmetic
    /// on the segment: u in [u0, u0 + m c) with (u - u0) mod m = 0; three warp-uniform paths with
    /// no branch per element: none when the tile lies inside every row's unit-step segment, a
    /// range test when every row's step is 1, the remainder test otherwise; each tile reads its rows'
    /// segments from a shared table the block fills once, in view coordinates), updates each row's running
    /// max and sum (a quad of lanes shares a row), and adds P V with the scores re-packed as A
    /// fragments and V read by `ldmatrix.trans`. A row's keys are disjoint across its segments,
    /// so each key is counted once even when two slots' spans overlap. The wg variant keeps this walk and
    /// replaces the tile layout and the MMAs (``warpGroupLayout``, ``warpGroupScores``, ``warpGroupPV``):
    /// every warp of a warpgroup takes every tile, so none skips one.
    ///
    /// Split (`tilesPerSplit` > 0): block (x, h), of linear index n = x + items h, runs item n / heads
    /// of head n mod heads (heads fastest, so every head's split items start first) of the plan
    /// (eight words): the unsplit grid's block it stands for, the first tile of the walk and the tile count. An
    /// item with no partial writes O as above. A split item writes its rows' (max, sum) (log2
    /// domain) and, for rows with a key in it, the unnormalised O (fp32) to its workspace slot,
    /// fences, and counts itself in its group's counter; the block that brings the counter to the
    /// group's split count merges: per row M = max m_j, l = sum l_j 2^(m_j - M), O = sum
    /// 2^(m_j - M) O_j / l over the splits with l_j > 0 (zeros for a row with no key), reading
    /// the partials from L2 (`ld.global.cg`), then resets the counter for the next launch.
    static func tensorCoreBody(_ problem: AttentionProblem, _ config: AttentionConfig, entryPoint: String) -> String {
        let split = config.splits
        let wg = config.variant == .warpGroup
        let pairType = problem.elementType == .bf16 ? "__nv_bfloat162" : "__half2"
        let pairConvert = problem.elementType == .bf16 ? "__floats2bfloat162_rn" : "__floats2half2_rn"
        return """
            #define BQ (16 * NW)
            #define BK \(config.keysPerTile)
            #define STAGES \(config.stages)
            #define SROW \(config.sharedRowElements(headSize: problem.headSize))
            #define MAXS \(AttentionConfig.maxSegmentsPerRow)
            #define TILE_ELEMS (BK * SROW)
            \(wg ? Self.warpGroupLayout : Self.paddedLayout)

            \(ElementCode.tensorCoreHelpers(problem.elementType))
            \(wg ? Self.warpGroupHelpers(problem, config) : "")
            // Two probabilities as one A-fragment register (a in the low half), one cvt instruction.
            __device__ __forceinline__ unsigned pack_p(float a, float b) {
              const \(pairType) h = \(pairConvert)(a, b);
              return *reinterpret_cast<const unsigned*>(&h);
            }
            // Keys 16 kk .. 16 kk + 15 of the scores (as probabilities) as one m16n8k16 A fragment.
            __device__ __forceinline__ void pack_pa(unsigned (&a)[4], const float (&s)[BK / 8][4], int kk) {
              a[0] = pack_p(s[2 * kk][0], s[2 * kk][1]);
              a[1] = pack_p(s[2 * kk][2], s[2 * kk][3]);
              a[2] = pack_p(s[2 * kk + 1][0], s[2 * kk + 1][1]);
              a[3] = pack_p(s[2 * kk + 1][2], s[2 * kk + 1][3]);
            }
            // 2^x with one MUFU op (flushes denormal results to 0; 2^-inf = 0).
            __device__ __forceinline__ float fast_exp2(float x) {
              float y;
              asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
              return y;
            }

            // Moves (s, u) to the first tile at or after it whose slot span is not exhausted.
            __device__ __forceinline__ void seek(int& s, int& u, int S, const int* lo, const int* hi) {
              while (s < S && u > hi[s]) { ++s; if (s < S) u = lo[s]; }
            }
            // K and V rows of view keys u .. u + BK - 1 (key = r + v u) into one stage: 16-byte chunks,
            // thread t copies chunk (row LOAD_ROW(t) + j ROWS_PER_PASS, part LOAD_PART(t)) for each pass j
            // (the thread's part and first row are fixed, NW * 32 is a multiple of D / 8). Unrolled: the
            // shared addresses are immediates, each pass adds the global stride; a tile whose last key is
            // below L (every tile but the sequence's last) tests no key. A key at or past L copies 0 source
            // bytes (zero fill; cp.async reads nothing, so its address is never dereferenced).
            #define CHUNKS (BK * (D / 8))
            #define ROWS_PER_PASS ((NW * 32) / (D / 8))
            __device__ __forceinline__ void load_tile(elem_t* ks, elem_t* vs, const elem_t* kh, const elem_t* vh, int u, int r, int v, int L) {
              const int row0 = LOAD_ROW(threadIdx.x), part = LOAD_PART(threadIdx.x);
              const int key0 = r + v * (u + row0), step = v * ROWS_PER_PASS;
              const elem_t* kp = kh + (size_t)key0 * D + part;
              const elem_t* vp = vh + (size_t)key0 * D + part;
              const size_t gstep = (size_t)step * D;
              elem_t* kd = ks + TILE_OFF(row0, part);
              elem_t* vd = vs + TILE_OFF(row0, part);
              const bool inside = r + v * (u + BK - 1) < L;
              #pragma unroll
              for (int j = 0; j < (CHUNKS + NW * 32 - 1) / (NW * 32); ++j) {
                if (CHUNKS % (NW * 32) == 0 || row0 + j * ROWS_PER_PASS < BK) {
                  const int bytes = inside || key0 + j * step < L ? 16 : 0;
                  cp_async16(kd + j * ROWS_PER_PASS * SROW, kp + j * gstep, bytes);
                  cp_async16(vd + j * ROWS_PER_PASS * SROW, vp + j * gstep, bytes);
                }
              }
            }
            // x / v for x >= 0 a multiple of v: a shift when v is a power of two (1 included), the
            // division routine otherwise (v is uniform, so the branch is too).
            __device__ __forceinline__ int to_view(int x, int v) { return (v & (v - 1)) == 0 ? x >> (31 - __clz(v)) : x / v; }
            \(split ? Self.splitHelpers : "")
            extern "C" __global__ void __launch_bounds__(NW * 32) \(entryPoint)(
                const elem_t* __restrict__ q, const elem_t* __restrict__ k, const elem_t* __restrict__ v, elem_t* __restrict__ o,
                const int* __restrict__ segStart, const int* __restrict__ segStride, const int* __restrict__ segCount,
                const int L, const int S, const int viewStride, const float scaleLog2\(split ? Self.splitParameters : "")) {
              extern __shared__ __align__(16) unsigned char smem_raw[];
              elem_t* ksm = reinterpret_cast<elem_t*>(smem_raw);
              elem_t* vsm = ksm + STAGES * TILE_ELEMS;
              elem_t* qsm = vsm + STAGES * TILE_ELEMS;  // the block's BQ query rows, read as A operands each tile
              // Each row's segments in view coordinates (first key, step, count), slot-major, S slots, read by every
              // tile instead of ACSR's global arrays; count 0 past a row's last segment and for dead rows. Three int
              // arrays: one int4 table took ptxas to 142-144 registers at d 64.
              int* sga = reinterpret_cast<int*>(qsm + BQ * SROW);
              int* sgm = sga + S * BQ;
              int* sgc = sgm + S * BQ;
              __shared__ int lo[MAXS], hi[MAXS];
              const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
              const int vstr = viewStride;
              const int perResidue = (L + vstr - 1) / vstr;
              const int blocks = (perResidue + BQ - 1) / BQ;
            \(split ? Self.splitItem : "const int bx = blockIdx.x, hy = blockIdx.y;")
              const int r = bx / blocks, qb = bx - r * blocks;
              const int inClass = (L - r + vstr - 1) / vstr;  // queries r, r + v, ... below L
              const size_t head = (size_t)hy * (size_t)L * D;
              const elem_t* qh = q + head;
              const elem_t* kh = k + head;
              const elem_t* vh = v + head;

              if (threadIdx.x < MAXS) { lo[threadIdx.x] = 0x7fffffff; hi[threadIdx.x] = -1; }
              __syncthreads();
              if (threadIdx.x < BQ) {
                const int qv = qb * BQ + threadIdx.x;
                const int i = r + vstr * qv;
                bool more = qv < inClass;
                #pragma unroll 1
                for (int s = 0; s < S; ++s) {
                  const int c = more ? segCount[i * S + s] : 0;
                  more = c > 0;
                  int u0 = 0, m = 1;
                  if (more) {
                    u0 = to_view(segStart[i * S + s] - r, vstr);
                    m = c > 1 ? to_view(segStride[i * S + s], vstr) : 1;
                    atomicMin(&lo[s], u0);
                    atomicMax(&hi[s], u0 + m * (c - 1));
                  }
                  sga[s * BQ + threadIdx.x] = u0;
                  sgm[s * BQ + threadIdx.x] = m;
                  sgc[s * BQ + threadIdx.x] = c;
                }
              }
              __syncthreads();

              // This thread's two rows: warp row lane / 4 and lane / 4 + 8.
              const int qv0 = qb * BQ + warp * 16 + (lane >> 2), qv1 = qv0 + 8;
              const bool live0 = qv0 < inClass, live1 = qv1 < inClass;
              const int i0 = r + vstr * qv0, i1 = r + vstr * qv1;
              // Q's rows to shared memory (zeros for dead rows), in the first tile's copy group: held there, not in
              // D / 4 registers a thread, so that ptxas fits 4 blocks of 4 warps an SM at d 64.
              for (int c = threadIdx.x; c < BQ * (D / 8); c += NW * 32) {
                const int row = c / (D / 8), part = (c % (D / 8)) * 8;
                const int qv = qb * BQ + row;
                const bool ok = qv < inClass;
                cp_async16(qsm + TILE_OFF(row, part), qh + (ok ? (size_t)(r + vstr * qv) * D + part : 0), ok ? 16 : 0);
              }
            \(wg ? "  // This warpgroup's 64 query rows as wgmma's A operand (K-major core matrices).\n  const unsigned long long qdesc = kmajor_desc(qsm + (warp >> 2) * 64 * D);" : "")
              float oacc[D / 8][4];
              #pragma unroll
              for (int n = 0; n < D / 8; ++n) { oacc[n][0] = oacc[n][1] = oacc[n][2] = oacc[n][3] = 0.0f; }
              float m0 = -INFINITY, m1 = -INFINITY, l0 = 0.0f, l1 = 0.0f;

            \(split ? Self.splitWalk : "")
            \(Self.walk(wg: wg))
              cp_async_wait<0>();
              // Each quad of lanes holds a row's partial sums.
              l0 += __shfl_xor_sync(0xffffffffu, l0, 1);
              l0 += __shfl_xor_sync(0xffffffffu, l0, 2);
              l1 += __shfl_xor_sync(0xffffffffu, l1, 1);
              l1 += __shfl_xor_sync(0xffffffffu, l1, 2);
            \(split ? Self.splitEpilogue : "")
              // l >= 1 for a row with a key (its maximum contributes 2^0), so the fast divide is exact to 2 ulp.
              const float inv0 = l0 > 0.0f ? __fdividef(1.0f, l0) : 0.0f, inv1 = l1 > 0.0f ? __fdividef(1.0f, l1) : 0.0f;
              #pragma unroll
              for (int n = 0; n < D / 8; ++n) {
                const int col = n * 8 + (lane & 3) * 2;
                if (live0) *reinterpret_cast<unsigned*>(o + head + (size_t)i0 * D + col) = pack2(oacc[n][0] * inv0, oacc[n][1] * inv0);
                if (live1) *reinterpret_cast<unsigned*>(o + head + (size_t)i1 * D + col) = pack2(oacc[n][2] * inv1, oacc[n][3] * inv1);
              }
            }
            """
    }

    /// The score loop of one mask path: each of the thread's scores scaled to the log2 domain if
    /// its key is kept for its row (`keep0` for the row lane / 4, `keep1` for the row 8 below; they
    /// may use `u`, the element's view key), -inf otherwise, and the rows' tile
    /// maxima. Without tests (nil) every key is kept.
    static func maskLoop(keep0: String? = nil, keep1: String? = nil) -> String {
        let key = keep0 == nil && keep1 == nil ? "" : "const int u = cu + n * 8 + (lane & 3) * 2 + e;"
        return """
                  #pragma unroll
                  for (int n = 0; n < BK / 8; ++n) {
                    #pragma unroll
                    for (int e = 0; e < 2; ++e) {
                      \(key)
                      sc[n][e] = \(keep0 ?? "true") ? sc[n][e] * scaleLog2 : -INFINITY;
                      sc[n][2 + e] = \(keep1 ?? "true") ? sc[n][2 + e] * scaleLog2 : -INFINITY;
                      mx0 = fmaxf(mx0, sc[n][e]);
                      mx1 = fmaxf(mx1, sc[n][2 + e]);
                    }
                  }
        """
    }

    /// The stepped mask path: key u of a row's segment (first key a, step m, count c) iff
    /// a <= u < a + m c and (u - a) mod m = 0 (the remainder only for a row whose step is not 1).
    /// (An incremental residue instead of the remainder made ptxas spill at some shapes.)
    static let steppedMask = maskLoop(
        keep0: "u >= a0 && u < a0 + st0 * c0 && (st0 == 1 || (u - a0) % st0 == 0)",
        keep1: "u >= a1 && u < a1 + st1 * c1 && (st1 == 1 || (u - a1) % st1 == 0)")

    /// Rows padded by ``AttentionConfig/rowPadding`` elements, read by `ldmatrix` (tc): row r,
    /// features p.. at element r SROW + p; thread t copies part t mod (D / 8) of row t / (D / 8).
    static let paddedLayout = """
        #define TILE_OFF(row, part) ((row) * SROW + (part))
        #define LOAD_ROW(t) ((t) / (D / 8))
        #define LOAD_PART(t) (((t) % (D / 8)) * 8)
        """

    /// The tc kernel's wait for its tile: two stages issue the next tile's copy first and wait
    /// for all but it; the barrier at the end of the walk's step keeps the next copy off a stage a
    /// warp still reads.
    static let warpTileWait = """
        #if STAGES == 2
            if (ns < S) load_tile(ksm + (stage ^ 1) * TILE_ELEMS, vsm + (stage ^ 1) * TILE_ELEMS, kh, vh, nu, r, vstr, L);
            cp_async_commit();
            cp_async_wait<1>();
        #else
            cp_async_wait<0>();
        #endif
            __syncthreads();
        """

    /// The tc kernel's scores: a warp none of whose rows holds a key of the tile skips its math;
    /// Q Kᵀ on `mma.sync`, with Q and K read by `ldmatrix`.
    static let warpScores = """
            // A warp none of whose rows holds a key of this tile skips its math.
            const bool any0 = c0 > 0 && a0 <= cu + BK - 1 && a0 + st0 * (c0 - 1) >= cu;
            const bool any1 = c1 > 0 && a1 <= cu + BK - 1 && a1 + st1 * (c1 - 1) >= cu;
            if (__any_sync(0xffffffffu, any0 || any1)) {
              float sc[BK / 8][4];
              #pragma unroll
              for (int n = 0; n < BK / 8; ++n) { sc[n][0] = sc[n][1] = sc[n][2] = sc[n][3] = 0.0f; }
              // K as B fragments, two key groups of 8 per ldmatrix.x4: lanes 0-7 address keys
              // n*8.. at features kk*16, lanes 8-15 the same keys at kk*16 + 8, lanes 16-31 keys (n+1)*8...
              // Q as A fragments, one ldmatrix.x4 per 16 features: lanes 0-15 address the warp's rows at
              // features kk*16, lanes 16-31 the same rows at kk*16 + 8.
              #pragma unroll
              for (int kk = 0; kk < D / 16; ++kk) {
                unsigned qa[4];
                ldsm_x4(qa[0], qa[1], qa[2], qa[3], qsm + (warp * 16 + (lane & 15)) * SROW + kk * 16 + (lane >> 4) * 8);
                #pragma unroll
                for (int n = 0; n < BK / 8; n += 2) {
                  unsigned k0, k1, k2, k3;
                  ldsm_x4(k0, k1, k2, k3, kt + (n * 8 + (lane >> 4) * 8 + (lane & 7)) * SROW + kk * 16 + ((lane >> 3) & 1) * 8);
                  mma16816(sc[n], qa, k0, k1);
                  mma16816(sc[n + 1], qa, k2, k3);
                }
              }
        """

    /// The tc kernel's P V: the scores re-packed as A fragments, V read by `ldmatrix.trans`.
    static let warpPV = """
              #pragma unroll
              for (int kk = 0; kk < BK / 16; ++kk) {
                unsigned pa[4];
                pack_pa(pa, sc, kk);
                #pragma unroll
                for (int n = 0; n < D / 16; ++n) {
                  unsigned v0, v1, v2, v3;
                  ldsm_x4_trans(v0, v1, v2, v3, vt + (kk * 16 + (lane & 7) + ((lane >> 3) & 1) * 8) * SROW + n * 16 + (lane >> 4) * 8);
                  mma16816(oacc[2 * n], pa, v0, v1);
                  mma16816(oacc[2 * n + 1], pa, v2, v3);
                }
              }
        """

    /// The walk over the block's tiles: per tile, wait for its copy (issuing the next), the scores,
    /// the softmax, P V.
    static func walk(wg: Bool) -> String {
        """
          int cs = 0, cu = lo[0];
          seek(cs, cu, S, lo, hi);
          int stage = 0;
          if (cs < S) load_tile(ksm, vsm, kh, vh, cu, r, vstr, L);
          cp_async_commit();
          while (cs < S) {
            int ns = cs, nu = cu + BK;
            seek(ns, nu, S, lo, hi);
        \(wg ? Self.warpGroupTileWait : Self.warpTileWait)
            const elem_t* kt = ksm + stage * TILE_ELEMS;
            const elem_t* vt = vsm + stage * TILE_ELEMS;
        \(Self.tileSegments)
        \(wg ? Self.warpGroupScores : Self.warpScores)
        \(Self.tileSoftmax)
        \(Self.rescaleO)
        \(wg ? Self.warpGroupPV : Self.warpPV)
            }
        #if STAGES == 1
            __syncthreads();
            if (ns < S) load_tile(ksm, vsm, kh, vh, nu, r, vstr, L);
            cp_async_commit();
        #else
        \(wg ? "" : "    __syncthreads();  // every warp is done with this stage before the next tile's copy refills it")
            stage ^= 1;
        #endif
            cs = ns;
            cu = nu;
          }
        """
    }

    /// The segment of slot `cs` of this thread's two rows (count 0 for a dead row), read from the
    /// block's shared table.
    static let tileSegments = """
            // Slot cs of this thread's rows, in view coordinates (count 0 for a dead row).
            const int e0 = cs * BQ + warp * 16 + (lane >> 2);
            const int a0 = sga[e0], st0 = sgm[e0], c0 = sgc[e0], a1 = sga[e0 + 8], st1 = sgm[e0 + 8], c1 = sgc[e0 + 8];
        """

    /// The mask of tile `cu` (three warp-uniform paths) and the online softmax's step: the rows'
    /// new maxima, `alpha0` / `alpha1` (the old sums' and outputs' scale), the scores as
    /// probabilities, the sums.
    static var tileSoftmax: String {
        """
              // Three warp-uniform mask paths, so no element carries a branch: a tile inside both rows'
              // unit-step segments of every lane needs no mask; with unit steps only, a range test;
              // otherwise the segment's full membership test (the step's remainder).
              const bool full0 = st0 == 1 && a0 <= cu && cu + BK <= a0 + c0;
              const bool full1 = st1 == 1 && a1 <= cu && cu + BK <= a1 + c1;
              const bool full = __all_sync(0xffffffffu, full0 && full1);
              const bool stepped = __any_sync(0xffffffffu, st0 != 1 || st1 != 1);
              float mx0 = -INFINITY, mx1 = -INFINITY;
              if (full) {
        \(maskLoop())
              } else if (!stepped) {
        \(maskLoop(keep0: "(unsigned)(u - a0) < (unsigned)c0", keep1: "(unsigned)(u - a1) < (unsigned)c1"))
              } else {
        \(Self.steppedMask)
              }
              mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 1));
              mx0 = fmaxf(mx0, __shfl_xor_sync(0xffffffffu, mx0, 2));
              mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 1));
              mx1 = fmaxf(mx1, __shfl_xor_sync(0xffffffffu, mx1, 2));
              const float n0 = fmaxf(m0, mx0), n1 = fmaxf(m1, mx1);
              // A row with no key yet keeps -inf: exponents then use 0 so that p = 0, not NaN.
              const float b0 = n0 == -INFINITY ? 0.0f : n0, b1 = n1 == -INFINITY ? 0.0f : n1;
              const float alpha0 = fast_exp2(m0 - b0), alpha1 = fast_exp2(m1 - b1);
              m0 = n0;
              m1 = n1;
              float s0 = 0.0f, s1 = 0.0f;
              #pragma unroll
              for (int n = 0; n < BK / 8; ++n) {
                sc[n][0] = fast_exp2(sc[n][0] - b0);
                sc[n][1] = fast_exp2(sc[n][1] - b0);
                sc[n][2] = fast_exp2(sc[n][2] - b1);
                sc[n][3] = fast_exp2(sc[n][3] - b1);
                s0 += sc[n][0] + sc[n][1];
                s1 += sc[n][2] + sc[n][3];
              }
              l0 = l0 * alpha0 + s0;
              l1 = l1 * alpha1 + s1;
        """
    }

    /// O's accumulators scaled by the rows' `alpha`.
    static let rescaleO = """
              #pragma unroll
              for (int n = 0; n < D / 8; ++n) {
                oacc[n][0] *= alpha0; oacc[n][1] *= alpha0;
                oacc[n][2] *= alpha1; oacc[n][3] *= alpha1;
              }
        """
}
