import SparseFormats

// The bitmap tensor-core kernel: "load as sparse, compute as dense". W is read in the bitmap
// format (``SparseFormats/BitmapTiledMatrix``: 1 bit per weight + the nonzero values + a 32-bit
// offset per 8 x 8 tile, 1.19 B per weight at fp16 and 0.5 sparsity against dense fp16's 2), each
// warp expands its 16 x 16 blocks straight into mma.sync m16n8k16 A fragments in registers, and X
// is the B operand (fp32 accumulation).
//
// Why. For narrow X (decoding, m <= 64) the time is W's bytes: so every SM gets blocks (16-row
// strips, K split across the warps of a block), every warp keeps `stages - 1` steps of W in flight
// through a cp.async ring (whole 16-byte pieces of one contiguous range per step: a strip's masks
// and values are contiguous in the format), and the multiply is cheap (one mma per 16 x 16 block
// per 8 columns, 4 popcounts per lane per block). For wide X the same loop is a tensor-core GEMM
// over W's 16 x 16 blocks, with the zeros multiplied.
//
// Desk check (S = kStrips strips per block, J = kSlices, C = kChunk blocks per step, P = kStages,
// NT = kTile columns per block, KB = kBlocks = ceil(K / 16) blocks per strip, M = kM = m):
//
// Who computes what. Block (bx, by) owns strips [by S, by S + S) and columns [bx NT, bx NT + NT) of
//   Y. Warp w: strip i = w mod S (global strip s = by S + i; none when s >= ceil(N / 16)), slice
//   j = w / S, which covers blocks [b0, b1) = [floor(j KB / J), floor((j + 1) KB / J)) of its strip:
//   slices tile the strip, each block in exactly one slice.
//
// Steps. Step t of warp w covers blocks [b0 + t C, min(b0 + (t + 1) C, b1)) (cnt of them, maybe 0),
//   t = 0 .. T - 1 with T = ceil(ceil(KB / J) / C) for every warp (lockstep: one barrier per step).
//   Its masks are tiles [4 (s KB + b), ...) (4 cnt words, 32-byte aligned) and its values
//   [off(step start), off(step end)) with off = tileOffsets at the step's first tile: one
//   contiguous run, copied from its start rounded down to 16 bytes (shift sh = start mod 8
//   elements) in 16-byte pieces; the values array is padded to 8 entries, so every piece that
//   starts before the run's end lies inside it. The step boundaries' offsets come from one load
//   per lane for 32 boundaries at a time (lane l holds boundary base + l), refreshed every 31 steps.
//   X of step t for slice j: rows [16 (b0 + t C), + 16 cnt) of K. Tile mode (M % 8 == 0): row r,
//   piece p (8 columns) from X[k][bx NT + 8 p] when k < K and the column < M, else zero-filled
//   (cp.async src-size 0); rows 16-byte aligned, stride kXRow. Row mode (any M): the run of whole
//   rows X[k0 M, min(k0 + 16 cnt, K) M) from its start rounded down to 16 bytes (shift shx =
//   k0 M mod 8), the last piece cut at the run's end (src-size), read element by element with
//   zeros for k >= K or columns >= M. The S warps of slice j copy its X together.
//   Ring: steps 0 .. P - 2 issued first; iteration t waits until at most P - 2 groups are pending
//   (step t has landed; every thread commits one group per iteration, empty or not), a barrier
//   makes all warps' copies visible, step t + P - 1 is issued into slot (t - 1) mod P (every warp
//   finished multiplying step t - 1 before this barrier), then step t is multiplied from slot
//   t mod P while the later steps' bytes are in flight. A slot's run shift sh is kept in 3 bits of
//   a register per slot, set when the step is issued.
//
// Expansion. In the A fragment (16 x 16) lane l holds, of each 8 x 8 quarter q (registers a0..a3:
//   rows 0-7 / 8-15 x columns 0-7, then 8-15: the format's tile order within a block), row l / 4,
//   columns 2 (l mod 4) and + 1: mask bits 2 l and 2 l + 1, i.e. bits 2 (l mod 16) and + 1 of the
//   mask's low 32-bit half for l < 16, of its high half for l >= 16. Its first value is at
//   rel + popc(mask & (2^(2 l) - 1)) = rel + [l >= 16] popc(low half) + popc(half & (2^(2 (l mod 16)) - 1))
//   (rel: the quarter's first value in the staged run, starting at sh and advancing by each
//   quarter's popcount), its second one further if both bits are set; an unset bit gives 0. Only
//   set bits are read, so the run's slack is never used. The step's blocks are unrolled (kChunk,
//   the last step's missing ones skipped) so their shared loads overlap.
// B fragment of n-tile u (columns c = bx NT + 8 u + l / 4, rows k = 16 b + 2 (l mod 4) + {0, 1, 8, 9}):
//   tile mode ldmatrix.x2.trans of the 16 staged rows of the block (lane l < 16 gives row l's
//   address at column 8 u): exactly b0, b1 of m16n8k16; row mode four element reads. A column
//   c >= M of B only feeds column c of C, which is never written; a row k >= K of B is zero (W's
//   mask bits there are 0, and 0 x a non-finite X would be NaN).
//
// Reduction and epilogue. After the ring (all groups waited, barrier), warp w stores its C fragment
//   (c0, c1: row l / 4, columns 2 (l mod 4) + {0, 1}; c2, c3: row l / 4 + 8) at part[w][row][col];
//   after a barrier thread t writes elements e = t, t + threads, ... of the block's S x 16 x NT
//   tile (row = strip row, col fastest): y[(16 s + r) M + bx NT + c] = epilogue(sum over j of
//   part[j S + i][r][c]) for rows < N and columns < M: every element of Y once (grid covers all
//   strips and columns; blocks overlap nowhere); bias by row, residual at Y's index.
enum BitmapKernel {
    static func render(_ problem: SpMMProblem, _ config: BitmapConfig, entryPoint: String) -> String {
        let type = problem.elementType
        let parameters = config.parameters(for: problem)
        let bias = problem.epilogue.hasBias ? "const float b = to_f32(bias[row]);\n        " : ""
        let value = KernelGen.epilogueExpression(problem.epilogue, "v", residual: "to_f32(residual[(size_t)row * kM + col])")
        let mma = type == .bf16 ? "bf16.bf16" : "f16.f16"
        let tileMode = config.stagesXAsTile(problem)
        return """
            \(ElementCode.includes(type))
            typedef \(ElementCode.cType(type)) elem_t;

            #define kStrips \(config.strips)
            #define kSlices \(config.slices)
            #define kWarps \(config.warps)
            #define kThreads \(config.threadsPerBlock)
            #define kTile \(config.columns)
            #define kNT (kTile / 8)
            #define kChunk \(config.chunk)
            #define kStages \(config.stages)
            #define kN \(problem.n)
            #define kK \(problem.k)
            #define kM \(problem.m)
            #define kStripCount \(config.stripCount(for: problem))
            #define kBlocks \(BitmapTiledMatrix<Float>.blocksPerStrip(columns: problem.k))
            #define kSliceBlocks ((kBlocks + kSlices - 1) / kSlices)
            #define kSteps ((kSliceBlocks + kChunk - 1) / kChunk)
            #define kWBytes \(config.wStepBytes)
            #define kXBytes \(config.xStepBytes(problem))
            #define kXRow \(config.xRowBytes)
            #define kStepBytes \(config.stepBytes(problem))
            #define kXTile \(tileMode ? 1 : 0)
            #define kFull 0xffffffffu

            \(ElementCode.conversions(type))

            __device__ __forceinline__ void cp16(void* dst, const void* src, int bytes) {
              const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
              asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\\n" :: "r"(d), "l"(src), "r"(bytes));
            }
            __device__ __forceinline__ void cp_commit() { asm volatile("cp.async.commit_group;\\n" ::); }
            template <int N> __device__ __forceinline__ void cp_wait() { asm volatile("cp.async.wait_group %0;\\n" :: "n"(N)); }

            __device__ __forceinline__ void mma16816(float (&c)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
              asm volatile(
                  "mma.sync.aligned.m16n8k16.row.col.f32.\(mma).f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\\n"
                  : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                  : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
            }

            // The tileOffsets entry at the start of step t (lane l of `win` holds step base + l).
            __device__ __forceinline__ int boundary(const int* __restrict__ offs, int tileBase, int b0, int b1, int t) {
              return __ldg(offs + tileBase + 4 * min(b0 + t * kChunk, b1));
            }

            // Issue the copies of step t into slot `slot`: this warp's masks and values, and (with the
            // other warps of its slice) the slice's X rows.
            __device__ __forceinline__ void issue_step(
                unsigned char* smem, int slot, int t, int warp, int lane, int strip, int slice, int b0, int b1,
                int vStart, int vEnd, int colBase,
                const unsigned long long* __restrict__ masks, const elem_t* __restrict__ vals, const elem_t* __restrict__ x) {
              unsigned char* step = smem + slot * kStepBytes;
              const int first = b0 + t * kChunk;
              const int cnt = max(0, min(kChunk, b1 - first));
              if (strip < kStripCount && cnt > 0) {
                unsigned char* w = step + warp * kWBytes;
                const unsigned char* msrc = reinterpret_cast<const unsigned char*>(masks + 4 * ((size_t)strip * kBlocks + first));
                for (int p = lane; p < 2 * cnt; p += 32) cp16(w + 16 * p, msrc + 16 * p, 16);
                const size_t a = ((size_t)vStart * 2) & ~(size_t)15, end = (size_t)vEnd * 2;
                const int pieces = (int)((end - a + 15) / 16);
                const unsigned char* vsrc = reinterpret_cast<const unsigned char*>(vals) + a;
                unsigned char* vdst = w + 32 * kChunk;
                for (int p = lane; p < pieces; p += 32) cp16(vdst + 16 * p, vsrc + 16 * p, 16);
              }
              // X rows of the slice: every warp of the slice takes part (cnt is the same for all strips).
              const int xFirst = slice * kBlocks / kSlices + t * kChunk;
              const int xEnd = (slice + 1) * kBlocks / kSlices;
              const int xCnt = max(0, min(kChunk, xEnd - xFirst));
              if (xCnt > 0) {
                unsigned char* xs = step + kWarps * kWBytes + slice * kXBytes;
                const int k0 = 16 * xFirst, rows = 16 * xCnt;
                const int part = (warp % kStrips) * 32 + lane;
            #if kXTile
                for (int q = part; q < rows * kNT; q += kStrips * 32) {
                  const int r = q / kNT, p = q - r * kNT, k = k0 + r, col = colBase + 8 * p;
                  const bool ok = k < kK && col < kM;
                  cp16(xs + r * kXRow + 16 * p, ok ? (const void*)(x + (size_t)k * kM + col) : (const void*)x, ok ? 16 : 0);
                }
            #else
                const size_t begin = (size_t)k0 * kM * 2, stop = (size_t)min(k0 + rows, kK) * kM * 2;
                const size_t a = begin & ~(size_t)15;
                const int pieces = (int)((stop - a + 15) / 16);
                const unsigned char* src = reinterpret_cast<const unsigned char*>(x) + a;
                for (int p = part; p < pieces; p += kStrips * 32) {
                  const size_t left = stop - (a + 16 * (size_t)p);
                  cp16(xs + 16 * p, src + 16 * p, left < 16 ? (int)left : 16);
                }
            #endif
              }
            }

            extern "C" __global__ void __launch_bounds__(kThreads, 1) \(entryPoint)(\(KernelParameter.cList(parameters))) {
              extern __shared__ __align__(16) unsigned char smem[];
              (void)n;
              (void)m;
              const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
              const int stripInBlock = warp % kStrips, slice = warp / kStrips;
              const int strip = blockIdx.y * kStrips + stripInBlock;
              const int colBase = blockIdx.x * kTile;
              const int b0 = slice * kBlocks / kSlices, b1 = strip < kStripCount ? (slice + 1) * kBlocks / kSlices : b0;
              const int tileBase = strip < kStripCount ? 4 * strip * kBlocks : 0;
              // Step boundaries: lane l holds the values offset at the start of step winBase + l.
              int winBase = 0;
              int win = boundary(bitmapOffsets, tileBase, b0, b1, lane);
              // Each ring slot's run shift (its first value's offset mod 8), 3 bits a slot.
              int shifts = 0;
              float acc[kNT][4];
            #pragma unroll
              for (int u = 0; u < kNT; ++u) acc[u][0] = acc[u][1] = acc[u][2] = acc[u][3] = 0.0f;
              // Lane l's bits in each mask: 2 (l mod 16) and + 1 of the low (l < 16) or high 32-bit half.
              const bool upper = lane >= 16;
              const int shift = 2 * (lane & 15);
              const unsigned below = (1u << shift) - 1u;
              const int g = lane >> 2, q = lane & 3;
              (void)g;
              (void)q;
              // Issues step t (steps are issued in increasing order, so the window only moves on).
              auto issue = [&](int t) {
                if (t + 1 - winBase >= 32) {
                  winBase = t;
                  win = boundary(bitmapOffsets, tileBase, b0, b1, winBase + lane);
                }
                const int vs = __shfl_sync(kFull, win, t - winBase), ve = __shfl_sync(kFull, win, t + 1 - winBase);
                const int slot = t % kStages;
                shifts = (shifts & ~(7 << (3 * slot))) | ((vs & 7) << (3 * slot));
                issue_step(smem, slot, t, warp, lane, strip, slice, b0, b1, vs, ve, colBase, bitmapMasks, bitmapValues, x);
              };

            #pragma unroll 1
              for (int t = 0; t < kStages - 1; ++t) {
                if (t < kSteps) issue(t);
                cp_commit();
              }

            #pragma unroll 1
              for (int t = 0; t < kSteps; ++t) {
                cp_wait<kStages - 2>();
                __syncthreads();
                const int next = t + kStages - 1;
                if (next < kSteps) issue(next);
                cp_commit();
                const int slot = t % kStages;
                const unsigned char* step = smem + slot * kStepBytes;
                const int first = b0 + t * kChunk;
                const int cnt = max(0, min(kChunk, b1 - first));
                const unsigned long long* ms = reinterpret_cast<const unsigned long long*>(step + warp * kWBytes);
                const unsigned short* vals = reinterpret_cast<const unsigned short*>(step + warp * kWBytes + 32 * kChunk);
                const unsigned char* xs = step + kWarps * kWBytes + slice * kXBytes;
                int rel = (shifts >> (3 * slot)) & 7;
            #pragma unroll
                for (int c = 0; c < kChunk; ++c) {
                  if (c >= cnt) break;
                  // The block's four masks as 32-bit halves: lanes 0-15 read bits 2 l, 2 l + 1 of the
                  // low half, lanes 16-31 of the high half (after the low half's popcount).
                  const uint4 m01 = *reinterpret_cast<const uint4*>(ms + 4 * c);
                  const uint4 m23 = *reinterpret_cast<const uint4*>(ms + 4 * c + 2);
                  const unsigned words[8] = {m01.x, m01.y, m01.z, m01.w, m23.x, m23.y, m23.z, m23.w};
                  unsigned a[4];
            #pragma unroll
                  for (int h = 0; h < 4; ++h) {
                    const unsigned lo = words[2 * h], hi = words[2 * h + 1];
                    const int low = __popc(lo);
                    const unsigned word = upper ? hi : lo;
                    const int pre = rel + (upper ? low : 0) + __popc(word & below);
                    const unsigned bits = word >> shift;
                    const unsigned first = bits & 1u;
                    const unsigned v0 = first ? (unsigned)vals[pre] : 0u;
                    const unsigned v1 = (bits & 2u) ? (unsigned)vals[pre + (int)first] : 0u;
                    a[h] = v0 | (v1 << 16);
                    rel += low + __popc(hi);
                  }
            #if kXTile
                  const unsigned rowAddr = (unsigned)__cvta_generic_to_shared(xs + (16 * c + (lane & 15)) * kXRow);
            #pragma unroll
                  for (int u = 0; u < kNT; ++u) {
                    unsigned b0r, b1r;
                    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0, %1}, [%2];\\n"
                                 : "=r"(b0r), "=r"(b1r) : "r"(rowAddr + 16 * u));
                    mma16816(acc[u], a, b0r, b1r);
                  }
            #else
                  const unsigned short* xr = reinterpret_cast<const unsigned short*>(xs);
                  const int k0 = 16 * (slice * kBlocks / kSlices + t * kChunk);
                  const int shx = (k0 * kM) & 7;
                  const int kb = 16 * (first + c);
            #pragma unroll
                  for (int u = 0; u < kNT; ++u) {
                    const int col = colBase + 8 * u + g;
                    unsigned e[4];
            #pragma unroll
                    for (int h = 0; h < 4; ++h) {
                      const int k = kb + 2 * q + (h & 1) + 8 * (h >> 1);
                      e[h] = (k < kK && col < kM) ? (unsigned)xr[shx + (k - k0) * kM + col] : 0u;
                    }
                    mma16816(acc[u], a, e[0] | (e[1] << 16), e[2] | (e[3] << 16));
                  }
            #endif
                }
              }

              cp_wait<0>();
              __syncthreads();
              float* part = reinterpret_cast<float*>(smem) + warp * 16 * kTile;
            #pragma unroll
              for (int u = 0; u < kNT; ++u) {
                const int col = 8 * u + 2 * q;
                part[g * kTile + col] = acc[u][0];
                part[g * kTile + col + 1] = acc[u][1];
                part[(g + 8) * kTile + col] = acc[u][2];
                part[(g + 8) * kTile + col + 1] = acc[u][3];
              }
              __syncthreads();
              const float* all = reinterpret_cast<const float*>(smem);
              for (int e = tid; e < kStrips * 16 * kTile; e += kThreads) {
                const int i = e / (16 * kTile), r = (e / kTile) % 16, c = e % kTile;
                const int row = (blockIdx.y * kStrips + i) * 16 + r, col = colBase + c;
                if (row >= kN || col >= kM) continue;
                float v = 0.0f;
            #pragma unroll
                for (int j = 0; j < kSlices; ++j) v += all[((j * kStrips + i) * 16 + r) * kTile + c];
                \(bias)y[(size_t)row * kM + col] = from_f32(\(value));
              }
            }

            """
    }
}
