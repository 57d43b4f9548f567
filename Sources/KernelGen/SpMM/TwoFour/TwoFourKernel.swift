import SparseFormats

// The 2:4 sparse tensor-core kernel. W is read in ``SparseFormats/TwoFourMatrix`` (1.125 B per
// weight at fp16 against dense fp16's 2: the same bytes as cuSPARSELt), each tile of 16 rows x 32
// columns is one `mma.sp::ordered_metadata.m16n8k32` A operand whose values are stored in
// fragment order, and X is the B operand (fp32 accumulation). The sparse tensor cores decode
// the 2-bit indices, so unlike the bitmap family's popcount expansion a tile costs a lane one
// 16-byte and one 4-byte shared load: for narrow X (decoding, m <= 64) the time is W's bytes.
//
// Desk check: the strip/slice skeleton's (StripSliceKernel.swift), with U = 32 and:
//
// W of a step. Units [first, first + cnt) of strip s are 512 cnt bytes of values from byte
//   512 (s KU + first) of `twoFourValues` and 64 cnt bytes of metadata from byte 64 (s KU + first)
//   of `twoFourMetadata`: two contiguous runs of whole 16-byte pieces (every tile is 16-byte
//   aligned), copied to the warp's slot at 0 and 512 C.
// A operand of tile c. Lane l's 16 bytes at 512 c + 16 l of the slot (registers a0..a3 of
//   m16n8k32: rows l / 4 and l / 4 + 8, chunks l mod 4 and l mod 4 + 4, as the format stores
//   them), and metadata word 2 (l / 4) + (l mod 4) mod 2 of the tile's 16 (sparsity selector 0:
//   lanes with l mod 4 = 0 give chunks 0-3, l mod 4 = 1 chunks 4-7, rows l / 4 in the low and
//   l / 4 + 8 in the high 16 bits; the other lanes' copies are not read). The B operand is four
//   registers: k rows 2 (l mod 4) + 8 r + {0, 1}, r = 0 .. 3, of the tile's 32.
enum TwoFourKernel {
    static func render(_ problem: SpMMProblem, _ config: TwoFourConfig, entryPoint: String) -> String {
        let mma = problem.elementType == .bf16 ? "bf16.bf16" : "f16.f16"
        let family = StripSliceKernel.Family(
            helpers: """
                struct AFrag {
                  uint4 v;
                  unsigned e;
                };
                __device__ __forceinline__ void mma_unit(float (&c)[4], const AFrag& a, const unsigned (&b)[4]) {
                  asm volatile(
                      "mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.\(mma).f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%0,%1,%2,%3}, %12, 0x0;\\n"
                      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                      : "r"(a.v.x), "r"(a.v.y), "r"(a.v.z), "r"(a.v.w), "r"(b[0]), "r"(b[1]), "r"(b[2]), "r"(b[3]), "r"(a.e));
                }
                // This warp's tiles of step t (values, then metadata) into its slot `w`.
                __device__ __forceinline__ void issue_w(
                    unsigned char* w, int t, int lane, int strip, int b0, int b1,
                    const unsigned char* __restrict__ vals, const unsigned char* __restrict__ meta) {
                  const int first = b0 + t * kChunk;
                  const int cnt = max(0, min(kChunk, b1 - first));
                  if (strip >= kStripCount || cnt == 0) return;
                  const size_t tile = (size_t)strip * kUnits + first;
                  const unsigned char* vsrc = vals + tile * 512;
                  const unsigned char* msrc = meta + tile * 64;
                  for (int p = lane; p < 32 * cnt; p += 32) cp16(w + 16 * p, vsrc + 16 * p, 16);
                  for (int p = lane; p < 4 * cnt; p += 32) cp16(w + 512 * kChunk + 16 * p, msrc + 16 * p, 16);
                }
                """,
            warpState: "  const int metaWord = 2 * (lane >> 2) + (lane & 1);",
            issueW: """
                    issue_w(step + warp * kWBytes, t, lane, strip, b0, b1, reinterpret_cast<const unsigned char*>(twoFourValues), twoFourMetadata);
                """,
            stepPrelude: "",
            unitA: """
                      AFrag a;
                      a.v = *reinterpret_cast<const uint4*>(ws + 512 * c + 16 * lane);
                      a.e = *reinterpret_cast<const unsigned*>(ws + 512 * kChunk + 64 * c + 4 * metaWord);
                """)
        return StripSliceKernel.render(problem, config, entryPoint: entryPoint, family: family)
    }
}
