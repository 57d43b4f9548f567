import SparseFormats

// Pieces of device code more than one strip/slice family uses.
extension StripSliceKernel {
    /// `AFrag` (four registers) and `mma_unit` for the families whose unit is one 16 x 16 block:
    /// mma.sync m16n8k16, fp32 accumulation, X as the B operand (two registers).
    static func m16n8k16Unit(_ type: ElementType) -> String {
        let mma = type == .bf16 ? "bf16.bf16" : "f16.f16"
        return """
            struct AFrag {
              unsigned r[4];
            };
            __device__ __forceinline__ void mma_unit(float (&c)[4], const AFrag& a, const unsigned (&b)[2]) {
              asm volatile(
                  "mma.sync.aligned.m16n8k16.row.col.f32.\(mma).f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\\n"
                  : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                  : "r"(a.r[0]), "r"(a.r[1]), "r"(a.r[2]), "r"(a.r[3]), "r"(b[0]), "r"(b[1]));
            }
            """
    }

    /// The step boundaries of a format whose units' entries are one prefix-summed run per strip
    /// (`offsets`, `perUnit` entries a unit): a window of 32 of them in the warp's lanes (lane l
    /// holds the offset at the start of step winBase + l), refreshed every 31 steps, so issuing a
    /// step costs two shuffles instead of two dependent global loads. `helper` goes before the
    /// kernel, `warpState` after the warp's strip, `issue` (declaring `vs`, `ve`: the entries of step
    /// `t`) where a step is issued, in increasing `t`.
    static func stepBoundaries(offsets: String, perUnit: Int) -> (helper: String, warpState: String, issue: String) {
        (
            helper: """
                // The \(offsets) entry at the start of step t.
                __device__ __forceinline__ int boundary(const int* __restrict__ offs, int unitBase, int b0, int b1, int t) {
                  return __ldg(offs + unitBase + \(perUnit) * min(b0 + t * kChunk, b1));
                }
                """,
            warpState: """
                  const int unitBase = strip < kStripCount ? \(perUnit) * strip * kUnits : 0;
                  // Step boundaries: lane l holds the entries' offset at the start of step winBase + l.
                  int winBase = 0;
                  int win = boundary(\(offsets), unitBase, b0, b1, lane);
                """,
            issue: """
                    // Steps are issued in increasing order, so the window only moves on.
                    if (t + 1 - winBase >= 32) {
                      winBase = t;
                      win = boundary(\(offsets), unitBase, b0, b1, winBase + lane);
                    }
                    const int vs = __shfl_sync(kFull, win, t - winBase), ve = __shfl_sync(kFull, win, t + 1 - winBase);
                """)
    }
}
