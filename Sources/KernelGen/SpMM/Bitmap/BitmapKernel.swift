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
// Desk check: the strip/slice skeleton's (StripSliceKernel.swift), with U = 16 (a unit is a 16 x 16
// block) and:
//
// W of a step. Units [first, first + cnt) of strip s: masks 4 (s KU + first) ... (4 cnt words,
//   32-byte aligned) and values [off(step start), off(step end)) with off = tileOffsets at the
//   step's first tile: one contiguous run, copied from its start rounded down to 16 bytes (shift
//   sh = start mod 8 elements) in 16-byte pieces; the values array is padded to 8 entries, so every
//   piece that starts before the run's end lies inside it. The step boundaries' offsets come from
//   one load per lane for 32 boundaries at a time (lane l holds boundary base + l), refreshed every
//   31 steps. A slot's run shift sh is kept in 3 bits of a register per slot, set when the step is
//   issued.
// Expansion. In the A fragment (16 x 16) lane l holds, of each 8 x 8 quarter q (registers a0..a3:
//   rows 0-7 / 8-15 x columns 0-7, then 8-15: the format's tile order within a block), row l / 4,
//   columns 2 (l mod 4) and + 1: mask bits 2 l and 2 l + 1, i.e. bits 2 (l mod 16) and + 1 of the
//   mask's low 32-bit half for l < 16, of its high half for l >= 16. Its first value is at
//   rel + popc(mask & (2^(2 l) - 1)) = rel + [l >= 16] popc(low half) + popc(half & (2^(2 (l mod 16)) - 1))
//   (rel: the quarter's first value in the staged run, starting at sh and advancing by each
//   quarter's popcount), its second one further if both bits are set; an unset bit gives 0. Only
//   set bits are read, so the run's slack is never used. The step's blocks are unrolled (kChunk,
//   the last step's missing ones skipped) so their shared loads overlap. The B operand is two
//   registers: k rows 2 (l mod 4) + {0, 1} and + 8 of the block's 16.
enum BitmapKernel {
    static func render(_ problem: SpMMProblem, _ config: BitmapConfig, entryPoint: String) -> String {
        let steps = StripSliceKernel.stepBoundaries(offsets: "bitmapOffsets", perUnit: 4)
        let family = StripSliceKernel.Family(
            helpers: """
                \(StripSliceKernel.m16n8k16Unit(problem.elementType))

                \(steps.helper)

                // This warp's masks and values of step t into its slot `w`.
                __device__ __forceinline__ void issue_w(
                    unsigned char* w, int t, int lane, int strip, int b0, int b1, int vStart, int vEnd,
                    const unsigned long long* __restrict__ masks, const elem_t* __restrict__ vals) {
                  const int first = b0 + t * kChunk;
                  const int cnt = max(0, min(kChunk, b1 - first));
                  if (strip >= kStripCount || cnt == 0) return;
                  const unsigned char* msrc = reinterpret_cast<const unsigned char*>(masks + 4 * ((size_t)strip * kUnits + first));
                  for (int p = lane; p < 2 * cnt; p += 32) cp16(w + 16 * p, msrc + 16 * p, 16);
                  cp_run(w + 32 * kChunk, reinterpret_cast<const unsigned char*>(vals), 2u * (unsigned)vStart, 2u * (unsigned)vEnd, lane);
                }
                """,
            warpState: """
                \(steps.warpState)
                  // Each ring slot's run shift (its first value's offset mod 8), 3 bits a slot.
                  int shifts = 0;
                  // Lane l's bits in each mask: 2 (l mod 16) and + 1 of the low (l < 16) or high 32-bit half.
                  const bool upper = lane >= 16;
                  const int shift = 2 * (lane & 15);
                  const unsigned below = (1u << shift) - 1u;
                """,
            issueW: """
                \(steps.issue)
                    shifts = (shifts & ~(7 << (3 * slot))) | ((vs & 7) << (3 * slot));
                    issue_w(step + warp * kWBytes, t, lane, strip, b0, b1, vs, ve, bitmapMasks, bitmapValues);
                """,
            stepPrelude: """
                    const unsigned long long* ms = reinterpret_cast<const unsigned long long*>(ws);
                    const unsigned short* vals = reinterpret_cast<const unsigned short*>(ws + 32 * kChunk);
                    int rel = (shifts >> (3 * slot)) & 7;
                """,
            unitA: """
                      // The block's four masks as 32-bit halves: lanes 0-15 read bits 2 l, 2 l + 1 of the
                      // low half, lanes 16-31 of the high half (after the low half's popcount).
                      const uint4 m01 = *reinterpret_cast<const uint4*>(ms + 4 * c);
                      const uint4 m23 = *reinterpret_cast<const uint4*>(ms + 4 * c + 2);
                      const unsigned words[8] = {m01.x, m01.y, m01.z, m01.w, m23.x, m23.y, m23.z, m23.w};
                      AFrag a;
                #pragma unroll
                      for (int h = 0; h < 4; ++h) {
                        const unsigned lo = words[2 * h], hi = words[2 * h + 1];
                        const int low = __popc(lo);
                        const unsigned word = upper ? hi : lo;
                        const int pre = rel + (upper ? low : 0) + __popc(word & below);
                        const unsigned bits = word >> shift;
                        const unsigned one = bits & 1u;
                        const unsigned v0 = one ? (unsigned)vals[pre] : 0u;
                        const unsigned v1 = (bits & 2u) ? (unsigned)vals[pre + (int)one] : 0u;
                        a.r[h] = v0 | (v1 << 16);
                        rel += low + __popc(hi);
                      }
                """)
        return StripSliceKernel.render(problem, config, entryPoint: entryPoint, family: family)
    }
}
