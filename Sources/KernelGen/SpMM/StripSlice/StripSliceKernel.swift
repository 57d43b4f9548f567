import SparseFormats

// The skeleton the strip/slice tensor-core families share (StripSliceConfig.swift): the block's
// split of W and K over warps, the cp.async ring with X's staging, the B operands from X, the sum
// over slices and splits, and the epilogue. A family supplies its unit of W (U = kUnit columns of
// a 16-row strip: a bitmap 16 x 16 block, a 2:4 16 x 32 tile): how a warp copies a step's units
// (`issueW`), and how it turns unit c of a staged step into the A operand of `mma_unit` (`unitA`).
//
// Desk check (S = kStrips strips per block, J = kSlices, C = kChunk units per step, P = kStages,
// Z = kSplits, NT = kTile columns per block, KU = kUnits = ceil(K / U) units per strip, M = kM = m):
//
// Who computes what. Block (bx, by, bz) owns strips [by S, by S + S), columns [bx NT, bx NT + NT) of
//   Y and units [z0, z1) = [floor(bz KU / Z), floor((bz + 1) KU / Z)) of K. Warp w: strip i = w mod S
//   (global strip s = by S + i; dead when s >= ceil(N / 16)), slice j = w / S, which covers units
//   [b0, b1) = [z0 + floor(j (z1 - z0) / J), z0 + floor((j + 1) (z1 - z0) / J)) of its strip (b1 = b0
//   for a dead strip): slices tile the block's range, splits tile K, each unit in exactly one slice.
//
// Steps. Step t of warp w covers units [b0 + t C, min(b0 + (t + 1) C, b1)) (cnt of them, maybe 0),
//   t = 0 .. T - 1 with T = ceil(ceil(ceil(KU / Z) / J) / C) for every warp (lockstep: one barrier a
//   step). The family copies the step's units of W to the warp's slot (wStepBytes). X of step t for
//   slice j: rows [U (b0 + t C), + U cnt) of K. Tile mode (M % 8 == 0): row r, piece p (8 columns)
//   from X[k][bx NT + 8 p] when k < K and the column < M, else zero-filled (cp.async src-size 0),
//   stored as piece p ^ sw(r) of row r (stride kXRow = 2 NT bytes, unpadded), sw(r) = (r >> s) mod
//   NT / 8 with s = 2, 1, 0 for 2, 4, 8 pieces a row (0 for one): the 8 consecutive rows an
//   ldmatrix reads, at any one piece, then cover 8 different 16-byte bank groups. Row mode (any M): the run of whole rows X[k0 M, min(k0 +
//   U cnt, K) M) from its start rounded down to 16 bytes (shift shx = k0 M mod 8), the last piece cut
//   at the run's end (src-size), read element by element with zeros for k >= K or columns >= M. The
//   S warps of slice j copy its X together.
//   Ring: steps 0 .. P - 2 issued first; iteration t waits until at most P - 2 groups are pending
//   (step t has landed; every thread commits one group per iteration, empty or not), a barrier
//   makes the copies visible to every warp that reads them, step t + P - 1 is issued into slot
//   (t - 1) mod P (every warp that reads that slot's bytes finished multiplying step t - 1 before
//   this barrier), then step t is multiplied from slot t mod P while the later steps' bytes are in
//   flight. The barrier spans only the warps that share bytes of a slot: a warp's W is its own and
//   a slice's X is shared by its S warps (and copied by them), so it is __syncwarp for S = 1 and
//   the named barrier 1 + j of slice j's S warps for S > 1 (the whole block only for 16 slices, past
//   the 15 ids); warps of different slices run apart until the block barrier after the ring.
//
// B operand of unit c, n-tile u (columns c' = bx NT + 8 u + l / 4, rows k = U (first + c) +
//   2 (l mod 4) + 8 r + {0, 1} for register r < U / 8): tile mode ldmatrix.x(U / 8).trans of the
//   unit's U staged rows (lane l < U gives row l's address at piece u ^ sw(l): matrix r is rows 8 r
//   .. 8 r + 7, exactly b_r; U c is a multiple of 16, so the row's swizzle is sw(l)); row mode 2 U / 8 element reads. A column c' >= M of B only feeds column
//   c' of C, which is never written; a row k >= K of B is zero (W is 0 there, and 0 x a non-finite
//   X would be NaN). For M = 1 the run starts aligned (k0 is a multiple of U, so shx = 0) and k is
//   even, so lanes of column 0 read rows k and k + 1 as one 4-byte word (k + 1 < K; the last row
//   alone otherwise).
//
// Reduction and epilogue. After the ring (all groups waited, barrier), warp w stores its C fragment
//   (c0, c1: row l / 4, columns 2 (l mod 4) + {0, 1}; c2, c3: row l / 4 + 8) at part[w][row][col];
//   after a barrier thread t takes elements e = t, t + threads, ... of the block's S x 16 x NT tile
//   (row = strip row, col fastest), v = sum over j of part[j S + i][r][c], for rows < N and columns
//   < M. Z = 1: y[(16 s + r) M + bx NT + c] = epilogue(v). Z > 1: v is added (atomicAdd) to
//   `splitPartials` at Y's index; after a fence and a barrier one thread counts the block in
//   `splitCounters`[by gridDim.x + bx]; the block that brings it to Z (the last of its group)
//   fences, reads every element of the tile back from L2 (ld.global.cg), zeroes it, writes
//   y = epilogue(sum), and resets the counter for the next launch. Every element of Y is written
//   once (the grid covers all strips and columns; groups overlap nowhere); bias by row, residual at
//   Y's index.
enum StripSliceKernel {
    /// What a family adds to the skeleton (C text; see the header).
    struct Family {
        /// Device code before the kernel: `AFrag`, `mma_unit(float (&c)[4], const AFrag&, const
        /// unsigned (&b)[kUnit / 8])` and the family's copy function.
        var helpers: String
        /// Declarations at the start of the kernel, after the warp's b0, b1 and strip.
        var warpState: String
        /// Issues W of step `t` into ring slot `slot` (both in scope).
        var issueW: String
        /// Statements at the start of multiplying a step (`slot`, `first`, `cnt`, `ws`, the warp's
        /// W in the slot, in scope).
        var stepPrelude: String
        /// Declares `const AFrag a` for unit `c` of the step.
        var unitA: String
        /// Whether the copy loops (X's, and `cp_run`'s for the family's runs of W) stay rolled (`#pragma unroll 1`): where a lane copies one or two
        /// pieces a step, the compiler's 4-way unrolling with its remainder costs more instructions
        /// and registers than it saves (the fragment-COO family: 78 -> 54 registers, docs/perf/2026-12-02-h200-session16-fcoo).
        var rolledCopies = false
    }

    static func render<C: StripSliceConfig>(_ problem: SpMMProblem, _ config: C, entryPoint: String, family: Family) -> String {
        let type = problem.elementType
        let parameters = config.parameters(for: problem)
        let value = KernelGen.epilogueExpression(problem.epilogue, "v", residual: "to_f32(residual[(size_t)row * kM + col])")
        let store = (problem.epilogue.hasBias ? "const float b = to_f32(bias[row]);\n" : "") + "y[(size_t)row * kM + col] = from_f32(\(value));"
        let unit = C.unitColumns
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
            #define kSplits \(config.splits)
            #define kN \(problem.n)
            #define kK \(problem.k)
            #define kM \(problem.m)
            #define kUnit \(unit)
            #define kStripCount \(config.stripCount(for: problem))
            #define kUnits \(config.unitsPerStrip(for: problem))
            #define kSliceUnits (((kUnits + kSplits - 1) / kSplits + kSlices - 1) / kSlices)
            #define kSteps ((kSliceUnits + kChunk - 1) / kChunk)
            #define kWBytes \(config.wStepBytes(problem))
            #define kXBytes \(config.xStepBytes(problem))
            #define kXRow \(config.xRowBytes)
            #define kStepBytes \(config.stepBytes(problem))
            #define kScratch \(config.warpScratchBytes)
            #define kXTile \(config.stagesXAsTile(problem) ? 1 : 0)
            // The staged X row r's 16-byte piece p lies at piece p ^ XSW(r) (see the header).
            #define XSW(r) (kNT == 1 ? 0 : ((r) >> (kNT == 2 ? 2 : kNT == 4 ? 1 : 0)) & (kNT - 1))
            #define kFull 0xffffffffu

            \(ElementCode.conversions(type))

            __device__ __forceinline__ void cp16(void* dst, const void* src, int bytes) {
              const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
              asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\\n" :: "r"(d), "l"(src), "r"(bytes));
            }
            __device__ __forceinline__ void cp_commit() { asm volatile("cp.async.commit_group;\\n" ::); }
            template <int N> __device__ __forceinline__ void cp_wait() { asm volatile("cp.async.wait_group %0;\\n" :: "n"(N)); }
            // A warp copies bytes [begin, end) of `src` to `dst` from `begin` rounded down to 16, in whole
            // 16-byte pieces (the source array is padded so that every piece that starts before `end`
            // lies inside it); the run's first byte lands at dst + begin mod 16. Byte offsets are 32-bit:
            // the formats count entries in int32, so a run of 2-byte values ends below 2^32 bytes.
            __device__ __forceinline__ void cp_run(unsigned char* dst, const unsigned char* src, unsigned begin, unsigned end, int lane) {
              const unsigned a = begin & ~15u;
              const int pieces = (int)((end - a + 15u) >> 4);
              const unsigned char* from = src + a;
            \(family.rolledCopies ? "#pragma unroll 1" : "")
              for (int p = lane; p < pieces; p += 32) cp16(dst + 16 * p, from + 16 * p, 16);
            }

            \(family.helpers)

            // The ring's barrier: a slot's bytes are shared only by the S warps of one slice (its X; each
            // warp's W is its own), so only they wait for one another: a warp alone when S = 1 (its lanes'
            // copies), the slice's warps on named barrier 1 + slice (ids 1 .. 15) when S > 1, the block for
            // 16 slices of several strips.
            __device__ __forceinline__ void step_barrier(int slice) {
            #if kStrips == 1
              __syncwarp();
            #elif kSlices < 16
              asm volatile("bar.sync %0, %1;\\n" :: "r"(1 + slice), "n"(kStrips * 32) : "memory");
            #else
              (void)slice;
              __syncthreads();
            #endif
            }

            // The X rows of step t of a slice covering units [sb0, sb1), into the step's X region
            // `xs`: the S warps of the slice (part = strip-in-block x 32 + lane) copy them together.
            __device__ __forceinline__ void issue_x(unsigned char* xs, int t, int part, int sb0, int sb1, int colBase, const elem_t* __restrict__ x) {
              const int xFirst = sb0 + t * kChunk;
              const int xCnt = max(0, min(kChunk, sb1 - xFirst));
              if (xCnt == 0) return;
              const int k0 = kUnit * xFirst, rows = kUnit * xCnt;
            #if kXTile
              // Piece q = part + i 32 S is row q / NT, piece q mod NT; 32 S is a multiple of NT, so a
              // thread's piece p (and its column) is the same in every row it copies, and its rows step
              // by kXStep: one swizzle, one bounds test and pointer increments a piece.
              constexpr int kXStep = kStrips * 32 / kNT;
              const int p = part % kNT, col = colBase + 8 * p;
              const bool colOk = col < kM;
              const elem_t* src = x + (size_t)(k0 + part / kNT) * kM + col;
            \(family.rolledCopies ? "#pragma unroll 1" : "")
              for (int r = part / kNT; r < rows; r += kXStep, src += (size_t)kXStep * kM) {
                const bool ok = colOk && k0 + r < kK;
                cp16(xs + r * kXRow + 16 * (p ^ XSW(r)), ok ? (const void*)src : (const void*)x, ok ? 16 : 0);
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

            extern "C" __global__ void __launch_bounds__(kThreads, 1) \(entryPoint)(\(KernelParameter.cList(parameters))) {
              extern __shared__ __align__(16) unsigned char smem[];
              (void)n;
              (void)m;
              const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
              const int stripInBlock = warp % kStrips, slice = warp / kStrips;
              const int strip = blockIdx.y * kStrips + stripInBlock;
              const int colBase = blockIdx.x * kTile;
              const int z0 = blockIdx.z * kUnits / kSplits, z1 = (blockIdx.z + 1) * kUnits / kSplits;
              const int sb0 = z0 + slice * (z1 - z0) / kSlices, sb1 = z0 + (slice + 1) * (z1 - z0) / kSlices;
              const int b0 = sb0, b1 = strip < kStripCount ? sb1 : sb0;
              const int g = lane >> 2, q = lane & 3;
              (void)g;
              (void)q;
              const int xsw = XSW(lane & (kUnit - 1));
              (void)xsw;
              float acc[kNT][4];
            #pragma unroll
              for (int u = 0; u < kNT; ++u) acc[u][0] = acc[u][1] = acc[u][2] = acc[u][3] = 0.0f;
            \(family.warpState)
              auto issue = [&](int t, int slot) {
                unsigned char* step = smem + slot * kStepBytes;
            \(family.issueW)
                issue_x(step + kWarps * kWBytes + slice * kXBytes, t, stripInBlock * 32 + lane, sb0, sb1, colBase, x);
              };

            #pragma unroll 1
              for (int t = 0; t < kStages - 1; ++t) {
                if (t < kSteps) issue(t, t);
                cp_commit();
              }

            #pragma unroll 1
              for (int t = 0; t < kSteps; ++t) {
                cp_wait<kStages - 2>();
                step_barrier(slice);
                const int next = t + kStages - 1;
                if (next < kSteps) issue(next, next % kStages);
                cp_commit();
                const int slot = t % kStages;
                const unsigned char* step = smem + slot * kStepBytes;
                const int first = b0 + t * kChunk;
                const int cnt = max(0, min(kChunk, b1 - first));
                const unsigned char* ws = step + warp * kWBytes;
                const unsigned char* xs = step + kWarps * kWBytes + slice * kXBytes;
                (void)ws;
            \(family.stepPrelude)
            #pragma unroll
                for (int c = 0; c < kChunk; ++c) {
                  if (c >= cnt) break;
            \(family.unitA)
            #if kXTile
                  const unsigned rowAddr = (unsigned)__cvta_generic_to_shared(xs + (kUnit * c + (lane & (kUnit - 1))) * kXRow);
            #pragma unroll
                  for (int u = 0; u < kNT; ++u) {
                    unsigned b[kUnit / 8];
            #if kUnit == 32
                    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0, %1, %2, %3}, [%4];\\n"
                                 : "=r"(b[0]), "=r"(b[1]), "=r"(b[2]), "=r"(b[3]) : "r"(rowAddr + 16 * (u ^ xsw)));
            #else
                    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0, %1}, [%2];\\n"
                                 : "=r"(b[0]), "=r"(b[1]) : "r"(rowAddr + 16 * (u ^ xsw)));
            #endif
                    mma_unit(acc[u], a, b);
                  }
            #else
                  const unsigned short* xr = reinterpret_cast<const unsigned short*>(xs);
                  const int k0 = kUnit * (sb0 + t * kChunk);
                  const int shx = (k0 * kM) & 7;
                  const int kb = kUnit * (first + c);
            #pragma unroll
                  for (int u = 0; u < kNT; ++u) {
                    const int col = colBase + 8 * u + g;
                    unsigned b[kUnit / 8];
            #pragma unroll
                    for (int r = 0; r < kUnit / 8; ++r) {
                      const int k = kb + 2 * q + 8 * r;
            #if kM == 1
                      // One column: X is a vector staged from an aligned row (shx = 0), so a lane of column 0
                      // reads its two rows as one word.
                      b[r] = col != 0 || k >= kK ? 0u : k + 1 < kK ? *reinterpret_cast<const unsigned*>(xr + (k - k0)) : (unsigned)xr[k - k0];
            #else
                      const unsigned lo = (k < kK && col < kM) ? (unsigned)xr[shx + (k - k0) * kM + col] : 0u;
                      const unsigned hi = (k + 1 < kK && col < kM) ? (unsigned)xr[shx + (k + 1 - k0) * kM + col] : 0u;
                      b[r] = lo | (hi << 16);
            #endif
                    }
                    mma_unit(acc[u], a, b);
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
              // The block's sum over slices of each element of its tile: Y directly, or the split's workspace.
              for (int e = tid; e < kStrips * 16 * kTile; e += kThreads) {
                const int i = e / (16 * kTile), r = (e / kTile) % 16, c = e % kTile;
                const int row = (blockIdx.y * kStrips + i) * 16 + r, col = colBase + c;
                if (row >= kN || col >= kM) continue;
                float v = 0.0f;
            #pragma unroll
                for (int j = 0; j < kSlices; ++j) v += all[((j * kStrips + i) * 16 + r) * kTile + c];
            #if kSplits == 1
                \(store)
            #else
                atomicAdd(splitPartials + (size_t)row * kM + col, v);
            #endif
              }
            #if kSplits > 1
              __threadfence();
              __syncthreads();
              __shared__ int lastOfGroup;
              const int counter = blockIdx.y * gridDim.x + blockIdx.x;
              if (tid == 0) lastOfGroup = atomicAdd(splitCounters + counter, 1) == kSplits - 1;
              __syncthreads();
              if (!lastOfGroup) return;
              __threadfence();
              for (int e = tid; e < kStrips * 16 * kTile; e += kThreads) {
                const int i = e / (16 * kTile), r = (e / kTile) % 16, c = e % kTile;
                const int row = (blockIdx.y * kStrips + i) * 16 + r, col = colBase + c;
                if (row >= kN || col >= kM) continue;
                float* slot = splitPartials + (size_t)row * kM + col;
                const float v = __ldcg(slot);
                *slot = 0.0f;
                \(store)
              }
              if (tid == 0) splitCounters[counter] = 0;
            #endif
            }

            """
    }
}
