import SparseFormats

// The fragment-COO tensor-core kernel: "load as sparse, compute as dense" with a decode that
// follows the nonzeros. W is read in ``SparseFormats/FragmentCOOMatrix`` (per nonzero its value
// and one byte, its position in the 16 x 16 block's mma.sync m16n8k16 A fragment; 3 B a nonzero
// at fp16 plus 4 B a block), each warp scatters a step's nonzeros into zeroed fragments in shared
// memory and reads each block's fragment back as one 16-byte load a lane; X is the B operand (fp32
// accumulation).
//
// Why. The bitmap family expands all 256 slots of every block (about 89 instructions a warp a
// block at any sparsity); here a block costs a lane about ceil(nnz / 32) scatter rounds (a shared
// load of value and position, a predicated shared store) plus one 16-byte load and one 16-byte
// store: in the SASS of `fcoo.s2.j8.n16.c16.p2` (NVRTC 13.0, sm_90) about 20 warp instructions a
// block to scatter at up to 32 nonzeros (0.9 sparsity: about 26) and 14 to read it and multiply.
// Two fragments a warp, whatever the chunk, let a step hold up to 16 blocks, sharing its fixed cost
// (copy set-up, the ring's wait and barrier) among more blocks (docs/perf/2026-12-02-h200-session17-fcoo).
//
// Desk check: the strip/slice skeleton's (StripSliceKernel.swift), with U = 16 (a unit is a 16 x 16
// block) and:
//
// W of a step. Units [first, first + cnt) of strip s, i.e. blocks s KU + first ...: entries
//   [vs, ve) = [offs[s KU + first], offs[s KU + first + cnt]) (the skeleton's step boundary window,
//   StripSliceKernel+Shared.swift). Into the warp's slot: the cnt + 1 offsets offs[s KU + first + i]
//   (lanes 0 .. cnt, 4 bytes each, at 0: kHeader bytes), the values' run from its start rounded down
//   to 16 bytes (at kHeader; shift vs mod 8 elements) and the positions' run likewise (at kPositions;
//   shift vs mod 16), in 16-byte pieces: both arrays are padded (8 values, 16 positions), so every
//   piece that starts before a run's end lies inside its array. A run holds at most C E entries (E
//   = the problem's maxBlockEntries, the fullest block of this W), and its region holds C E entries
//   rounded up to 16 bytes plus 16: a run of r bytes from an aligned-down start spans at most
//   r + 15 bytes, so its whole pieces fit.
// Scratch. Warp w owns two fragments of 512 bytes (256 halves in fragment order) after the ring;
//   unit c of a step uses fragment c mod 2. Both are zero before the first step (ordered before it by
//   the step's barrier, which orders the warp's own shared accesses too), and a fragment is zero
//   again once its unit is read (each lane zeroes the 16 bytes it read).
// Scatter. Unit c's entries are [hdr[c] - hdr[0], hdr[c + 1] - hdr[0]) of the staged runs; lane l takes
//   entries l, l + 32, ... and writes value i to half pos[i] of its fragment. Positions within a block
//   are distinct (the format's rule), so no two lanes write one half, and the halves not written stay
//   zero. Skewed by one unit: the step prelude scatters unit 0 and syncs the warp; the body of unit c
//   scatters unit c + 1 (into the other fragment), reads and zeroes unit c's fragment, then syncs the
//   warp. So unit c's reads follow a __syncwarp after its scatter; unit c + 2's scatter into the same
//   fragment follows the __syncwarp after unit c's reads and zeroing; and the next step's unit 0
//   follows the __syncwarp after this step's last read (the ring's barrier lies between too).
// A operand of unit c. Lane l reads halves 8 l .. 8 l + 7 of fragment c mod 2 as one 16-byte load:
//   registers a0 .. a3 (half h of register r is position 8 l + 2 r + h: row l / 4 + 8 (r mod 2),
//   column 2 (l mod 4) + h + 8 (r / 2), the mma.sync m16n8k16 A layout) and stores zeros there.
//   The B operand is two registers: k rows 2 (l mod 4) + {0, 1} and + 8 of the block's 16.
enum FragmentCOOKernel {
    static func render(_ problem: SpMMProblem, _ config: FragmentCOOConfig, entryPoint: String) -> String {
        let steps = StripSliceKernel.stepBoundaries(offsets: "fcooOffsets", perUnit: 1)
        let family = StripSliceKernel.Family(
            helpers: """
                #define kHeader \(config.headerBytes)
                #define kPositions (kHeader + \(config.valueBytes(problem)))

                \(StripSliceKernel.m16n8k16Unit(problem.elementType))

                \(steps.helper)

                // A predicated 2-byte shared store: the compiler would branch around a plain `if`.
                __device__ __forceinline__ void store_if(bool p, unsigned addr, unsigned short v) {
                  asm volatile("{\\n .reg .pred q;\\n setp.ne.b32 q, %0, 0;\\n @q st.shared.u16 [%1], %2;\\n}\\n" :: "r"((int)p), "r"(addr), "h"(v) : "memory");
                }

                // Unit c's entries of a staged step (entries [hdr[c] - base, hdr[c + 1] - base) of `vals` and
                // `pos`) into the zeroed fragment at shared address `dst`: lane l takes entries l, l + 32, ...
                // The first 32 without a loop or a branch (at 0.9 sparsity a block holds about 26): every
                // lane reads (a lane past the block reads entry lo, inside the slot's region, which holds 16
                // bytes past any run) and only lanes of the block store.
                __device__ __forceinline__ void scatter(
                    unsigned dst, const int* hdr, int base, const unsigned short* vals, const unsigned char* pos, int c, int lane) {
                  const int lo = hdr[c] - base, hi = hdr[c + 1] - base, i = lo + lane;
                  const int e = i < hi ? i : lo;
                  store_if(i < hi, dst + 2u * pos[e], vals[e]);
                  if (hi - lo > 32) {
                #pragma unroll 1
                    for (int j = i + 32; j < hi; j += 32) store_if(true, dst + 2u * pos[j], vals[j]);
                  }
                }

                __device__ __forceinline__ void cp4(void* dst, const void* src) {
                  const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
                  asm volatile("cp.async.ca.shared.global [%0], [%1], 4;\\n" :: "r"(d), "l"(src));
                }

                // This warp's block offsets, values and positions of step t (entries [vs, ve)) into its slot `w`.
                __device__ __forceinline__ void issue_w(
                    unsigned char* w, int t, int lane, int strip, int b0, int b1, int vs, int ve,
                    const int* __restrict__ offs, const unsigned char* __restrict__ pos, const elem_t* __restrict__ vals) {
                  const int first = b0 + t * kChunk;
                  const int cnt = max(0, min(kChunk, b1 - first));
                  if (strip >= kStripCount || cnt == 0) return;
                  if (lane <= cnt) cp4(w + 4 * lane, offs + (size_t)strip * kUnits + first + lane);
                  cp_run(w + kHeader, reinterpret_cast<const unsigned char*>(vals), 2u * (unsigned)vs, 2u * (unsigned)ve, lane);
                  cp_run(w + kPositions, pos, (unsigned)vs, (unsigned)ve, lane);
                }
                """,
            warpState: """
                \(steps.warpState)
                  // This warp's two fragments (units alternate between them), zero whenever no unit is in them.
                  unsigned char* const scratch = smem + kStages * kStepBytes + warp * kScratch;
                  for (int p = lane; p < kScratch / 16; p += 32) *reinterpret_cast<uint4*>(scratch + 16 * p) = make_uint4(0u, 0u, 0u, 0u);
                  const unsigned fragBase = (unsigned)__cvta_generic_to_shared(scratch);
                """,
            issueW: """
                \(steps.issue)
                    issue_w(step + warp * kWBytes, t, lane, strip, b0, b1, vs, ve, fcooOffsets, fcooPositions, fcooValues);
                """,
            stepPrelude: """
                    const int* hdr = reinterpret_cast<const int*>(ws);
                    const int base = hdr[0];
                    const unsigned short* vals = reinterpret_cast<const unsigned short*>(ws + kHeader) + (base & 7);
                    const unsigned char* pos = ws + kPositions + (base & 15);
                    if (cnt > 0) scatter(fragBase, hdr, base, vals, pos, 0, lane);
                    __syncwarp();
                """,
            unitA: """
                      // Unit c + 1 into the other fragment while unit c is read (see the header).
                      if (c + 1 < cnt) scatter(fragBase + 512u * ((c + 1) & 1), hdr, base, vals, pos, c + 1, lane);
                      AFrag a;
                      {
                        uint4* f = reinterpret_cast<uint4*>(scratch + 512 * (c & 1) + 16 * lane);
                        const uint4 v = *f;
                        *f = make_uint4(0u, 0u, 0u, 0u);
                        a.r[0] = v.x;
                        a.r[1] = v.y;
                        a.r[2] = v.z;
                        a.r[3] = v.w;
                      }
                      __syncwarp();
                """,
            rolledCopies: true)
        return StripSliceKernel.render(problem, config, entryPoint: entryPoint, family: family)
    }
}
