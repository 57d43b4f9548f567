import SparseFormats

// The 2:4 sparse tensor-core kernel. W is read in ``SparseFormats/TwoFourMatrix`` (1.125 B per
// weight at fp16 against dense fp16's 2: the same bytes as cuSPARSELt), each tile of 16 rows x 32
// columns is one `mma.sp::ordered_metadata.m16n8k32` A operand whose values are stored in
// fragment order, and X is the B operand (fp32 accumulation). The sparse tensor cores decode
// the 2-bit indices, so unlike the bitmap family's popcount expansion a tile costs a lane one
// 16-byte and one 4-byte shared load: for narrow X (decoding, m <= 64) the time is W's bytes.
//
// Desk check (S = kStrips strips per block, J = kSlices, C = kChunk tiles per step, P = kStages,
// NT = kTile columns per block, KT = kTiles = ceil(K / 32) tiles per strip, M = kM = m):
//
// Who computes what. Block (bx, by) owns strips [by S, by S + S) and columns [bx NT, bx NT + NT) of
//   Y. Warp w: strip i = w mod S (global strip s = by S + i; none when s >= ceil(N / 16)), slice
//   j = w / S, which covers tiles [b0, b1) = [floor(j KT / J), floor((j + 1) KT / J)) of its strip:
//   slices tile the strip, each tile in exactly one slice.
//
// Steps. Step t of warp w covers tiles [b0 + t C, min(b0 + (t + 1) C, b1)) (cnt of them, maybe 0),
//   t = 0 .. T - 1 with T = ceil(ceil(KT / J) / C) for every warp (lockstep: one barrier per step).
//   Its values are 512 cnt bytes from byte 512 (s KT + first) of `twoFourValues` and its metadata
//   64 cnt bytes from byte 64 (s KT + first) of `twoFourMetadata`: two contiguous runs of whole
//   16-byte pieces (every tile is 16-byte aligned), copied to the warp's slot at 0 and 512 C.
//   X of step t for slice j: rows [32 (b0 + t C), + 32 cnt) of K. Tile mode (M % 8 == 0): row r,
//   piece p (8 columns) from X[k][bx NT + 8 p] when k < K and the column < M, else zero-filled
//   (cp.async src-size 0); rows 16-byte aligned, stride kXRow. Row mode (any M): the run of whole
//   rows X[k0 M, min(k0 + 32 cnt, K) M) from its start rounded down to 16 bytes (shift shx =
//   k0 M mod 8), the last piece cut at the run's end (src-size), read element by element with
//   zeros for k >= K or columns >= M. The S warps of slice j copy its X together.
//   Ring: steps 0 .. P - 2 issued first; iteration t waits until at most P - 2 groups are pending
//   (step t has landed; every thread commits one group per iteration, empty or not), a barrier
//   makes all warps' copies visible, step t + P - 1 is issued into slot (t - 1) mod P (every warp
//   finished multiplying step t - 1 before this barrier), then step t is multiplied from slot
//   t mod P while the later steps' bytes are in flight.
//
// Operands of tile c of a step. A: lane l's 16 bytes at 16 l of the tile's values (registers
//   a0..a3 of m16n8k32: rows l / 4 and l / 4 + 8, chunks l mod 4 and l mod 4 + 4, as the format
//   stores them). Metadata: word 2 (l / 4) + (l mod 4) mod 2 of the tile's 16 (sparsity selector
//   0: lanes with l mod 4 = 0 give chunks 0-3, l mod 4 = 1 chunks 4-7, rows l / 4 in the low and
//   l / 4 + 8 in the high 16 bits; the other lanes' copies are not read). B of n-tile u (columns
//   c = bx NT + 8 u + l / 4, rows k = 32 (first + c) + 2 (l mod 4) + 8 r + {0, 1} for register r):
//   tile mode ldmatrix.x4.trans of the tile's 32 staged rows (lane l gives row l's address at
//   column 8 u: matrix r is rows 8 r .. 8 r + 7, exactly b_r); row mode eight element reads. A
//   column c >= M of B only feeds column c of C, which is never written; a row k >= K of B is zero
//   (W's values there are 0, and 0 x a non-finite X would be NaN).
//
// Reduction and epilogue. After the ring (all groups waited, barrier), warp w stores its C fragment
//   (c0, c1: row l / 4, columns 2 (l mod 4) + {0, 1}; c2, c3: row l / 4 + 8) at part[w][row][col];
//   after a barrier thread t writes elements e = t, t + threads, ... of the block's S x 16 x NT
//   tile (row = strip row, col fastest): y[(16 s + r) M + bx NT + c] = epilogue(sum over j of
//   part[j S + i][r][c]) for rows < N and columns < M: every element of Y once (grid covers all
//   strips and columns; blocks overlap nowhere); bias by row, residual at Y's index.
enum TwoFourKernel {
    static func render(_ problem: SpMMProblem, _ config: TwoFourConfig, entryPoint: String) -> String {
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
            #define kTiles \(TwoFourMatrix<Float>.tilesPerStrip(columns: problem.k))
            #define kSliceTiles ((kTiles + kSlices - 1) / kSlices)
            #define kSteps ((kSliceTiles + kChunk - 1) / kChunk)
            #define kWBytes \(config.wStepBytes)
            #define kXBytes \(config.xStepBytes(problem))
            #define kXRow \(config.xRowBytes)
            #define kStepBytes \(config.stepBytes(problem))
            #define kXTile \(tileMode ? 1 : 0)

            \(ElementCode.conversions(type))

            __device__ __forceinline__ void cp16(void* dst, const void* src, int bytes) {
              const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
              asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\\n" :: "r"(d), "l"(src), "r"(bytes));
            }
            __device__ __forceinline__ void cp_commit() { asm volatile("cp.async.commit_group;\\n" ::); }
            template <int N> __device__ __forceinline__ void cp_wait() { asm volatile("cp.async.wait_group %0;\\n" :: "n"(N)); }

            __device__ __forceinline__ void mma_sp(float (&c)[4], const uint4& a, unsigned b0, unsigned b1, unsigned b2, unsigned b3, unsigned e) {
              asm volatile(
                  "mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.\(mma).f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%0,%1,%2,%3}, %12, 0x0;\\n"
                  : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                  : "r"(a.x), "r"(a.y), "r"(a.z), "r"(a.w), "r"(b0), "r"(b1), "r"(b2), "r"(b3), "r"(e));
            }

            // Issue the copies of step t into slot `slot`: this warp's tiles (values and metadata), and
            // (with the other warps of its slice) the slice's X rows.
            __device__ __forceinline__ void issue_step(
                unsigned char* smem, int slot, int t, int warp, int lane, int strip, int slice, int b0, int b1, int colBase,
                const unsigned char* __restrict__ vals, const unsigned char* __restrict__ meta, const elem_t* __restrict__ x) {
              unsigned char* step = smem + slot * kStepBytes;
              const int first = b0 + t * kChunk;
              const int cnt = max(0, min(kChunk, b1 - first));
              if (strip < kStripCount && cnt > 0) {
                unsigned char* w = step + warp * kWBytes;
                const size_t tile = (size_t)strip * kTiles + first;
                const unsigned char* vsrc = vals + tile * 512;
                const unsigned char* msrc = meta + tile * 64;
                for (int p = lane; p < 32 * cnt; p += 32) cp16(w + 16 * p, vsrc + 16 * p, 16);
                if (lane < 4 * cnt) cp16(w + 512 * kChunk + 16 * lane, msrc + 16 * lane, 16);
              }
              // X rows of the slice: every warp of the slice takes part (cnt is the same for all strips).
              const int xFirst = slice * kTiles / kSlices + t * kChunk;
              const int xEnd = (slice + 1) * kTiles / kSlices;
              const int xCnt = max(0, min(kChunk, xEnd - xFirst));
              if (xCnt > 0) {
                unsigned char* xs = step + kWarps * kWBytes + slice * kXBytes;
                const int k0 = 32 * xFirst, rows = 32 * xCnt;
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
              const int b0 = slice * kTiles / kSlices, b1 = strip < kStripCount ? (slice + 1) * kTiles / kSlices : b0;
              const unsigned char* vals = reinterpret_cast<const unsigned char*>(twoFourValues);
              float acc[kNT][4];
            #pragma unroll
              for (int u = 0; u < kNT; ++u) acc[u][0] = acc[u][1] = acc[u][2] = acc[u][3] = 0.0f;
              const int g = lane >> 2, q = lane & 3;
              (void)g;
              (void)q;
              const int metaWord = 2 * (lane >> 2) + (lane & 1);

            #pragma unroll 1
              for (int t = 0; t < kStages - 1; ++t) {
                if (t < kSteps) issue_step(smem, t, t, warp, lane, strip, slice, b0, b1, colBase, vals, twoFourMetadata, x);
                cp_commit();
              }

            #pragma unroll 1
              for (int t = 0; t < kSteps; ++t) {
                cp_wait<kStages - 2>();
                __syncthreads();
                const int next = t + kStages - 1;
                if (next < kSteps) issue_step(smem, next % kStages, next, warp, lane, strip, slice, b0, b1, colBase, vals, twoFourMetadata, x);
                cp_commit();
                const int slot = t % kStages;
                const unsigned char* step = smem + slot * kStepBytes;
                const int first = b0 + t * kChunk;
                const int cnt = max(0, min(kChunk, b1 - first));
                const unsigned char* ws = step + warp * kWBytes;
                const unsigned char* xs = step + kWarps * kWBytes + slice * kXBytes;
            #pragma unroll
                for (int c = 0; c < kChunk; ++c) {
                  if (c >= cnt) break;
                  const uint4 a = *reinterpret_cast<const uint4*>(ws + 512 * c + 16 * lane);
                  const unsigned e = *reinterpret_cast<const unsigned*>(ws + 512 * kChunk + 64 * c + 4 * metaWord);
            #if kXTile
                  const unsigned rowAddr = (unsigned)__cvta_generic_to_shared(xs + (32 * c + lane) * kXRow);
            #pragma unroll
                  for (int u = 0; u < kNT; ++u) {
                    unsigned r0, r1, r2, r3;
                    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\\n"
                                 : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3) : "r"(rowAddr + 16 * u));
                    mma_sp(acc[u], a, r0, r1, r2, r3, e);
                  }
            #else
                  const unsigned short* xr = reinterpret_cast<const unsigned short*>(xs);
                  const int k0 = 32 * (slice * kTiles / kSlices + t * kChunk);
                  const int shx = (k0 * kM) & 7;
                  const int kb = 32 * (first + c);
            #pragma unroll
                  for (int u = 0; u < kNT; ++u) {
                    const int col = colBase + 8 * u + g;
                    unsigned e8[8];
            #pragma unroll
                    for (int h = 0; h < 8; ++h) {
                      const int k = kb + 2 * q + (h & 1) + 8 * (h >> 1);
                      e8[h] = (k < kK && col < kM) ? (unsigned)xr[shx + (k - k0) * kM + col] : 0u;
                    }
                    mma_sp(acc[u], a, e8[0] | (e8[1] << 16), e8[2] | (e8[3] << 16), e8[4] | (e8[5] << 16), e8[6] | (e8[7] << 16), e);
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
