// The compact kernel's double-buffered walk (CompactConfig.doubleBuffered): either format, whole
// rows (split 1), all of X staged at once (one chunk).
//
// Why. The single-buffered walk (CompactKernel.swift) loads a round of entries, waits, multiplies,
// and only then loads the next round; a row's last round ends with the warp's reduction before the
// next row's first load. Profiled on an H200 (docs/perf/2026-12-01-h200-session10, 11008 x 4096 at
// 0.9, n = 1), 37% of its warps' stall samples waited on those loads (long scoreboard) and 10% on
// the final barrier. Here a warp always has its next round in flight while it multiplies the
// current one, across row ends, and writes each row's Y itself (no barrier after the walk).
//
// Desk check (R = kRows, Wp = kWarps, V = kVec, U = kUnroll, M = kM):
//
// Who computes what. Block b owns rows [b R, min(n, (b + 1) R)); the block stages their R + 1
//   row offsets (offs) and all K rows of X (xs) into shared memory, then one barrier. Warp w walks
//   rows w, w + Wp, ... of the block, each whole, in order: every row of the block has exactly one
//   walker and is written exactly once (rows without entries too: 0 or the bias).
// Rounds. A row [start, end) is walked in rounds: base = start rounded down to a multiple of V,
//   then base + U 32 V, ... while base < end. In a round lane l's u-th vector starts at
//   vp = base + (u 32 + l) V (aligned to V; the arrays are padded to a multiple of 8 entries, so
//   vp < end implies the whole vector is inside the allocation); an entry q of it is live when
//   start <= q < end, and a live entry adds w x xs[c M + j] into acc[j], j < M. Each entry of the
//   row lies in exactly one round's vectors, so it is multiplied exactly once.
// Double buffer. The warp holds the current round and loads the next: the same row's next base,
//   or, when that passes the row's end, the first round of its next row (the offsets come from
//   shared memory): `next_round`, the one rule for the sequence of rounds. Warp-uniform state (row,
//   start, end, base) decides which, so every lane agrees. After multiplying a row's last round the warp sums each acc[j] over its 32
//   lanes (xor butterfly, so every lane holds the sum), lane j writes Y[row][j] = epilogue(sum),
//   and acc restarts at 0.
// delta4. The round in flight is held raw (a lane's nibble word and value vector per load: 5
//   registers at V = 8 fp16 instead of 16 decoded ones), and decoded when it is multiplied: the
//   column of live entry q is carry + the sum of (delta + 1) over the round's entries up to q,
//   where carry is the column of the row's last entry before the round (-1 at the row's start)
//   and grows by the warp's total after each of the round's U vectors. A lane's sums come from its
//   nibble word t in registers, a byte each (SWAR): even = t & 0x0f0f0f0f holds entries 0, 2, 4, 6
//   and odd = (t >> 4) & 0x0f0f0f0f entries 1, 3, 5, 7 (one byte each, entry e at bits 4e of t);
//   hi = (even + odd + 2 in each of the V / 2 bytes) x 0x01010101 has in byte k the sum through
//   entry 2k + 1 (a byte holds at most 8 x 16 = 128: no carries), lo = hi - odd - 1 in each of
//   the V / 2 bytes the sum through entry 2k, and byte 3 of hi the vector's total (the bytes past
//   V / 2 are 0, so the multiply copies the total into them). A warp inclusive scan of the lanes'
//   totals gives the lanes before it; carry is warp-uniform (every lane takes the totals from lane
//   31). Entries outside [start, end) count in the sums but are not multiplied. Those past end are
//   only in the row's last round (a round holding one has base + U 32 V > end, so the walk's next
//   round is the next row's and carry restarts), after every live entry, so no live entry's sum
//   includes them. Those before start are only in the row's first round, in lane 0's first vector
//   (base = start rounded down to V): carry drops by their sum (lane 0's byte for entry
//   start - base - 1, broadcast) before the round's columns are formed. A round that lies wholly
//   inside its row (base >= start, base + U 32 V <= end: warp-uniform) skips both and the
//   per-entry live tests. Padding entries (value 0) are multiplied like any other: they add 0 for
//   finite X.
// Ring (.rgS, delta4). Instead of one round in registers, each warp owns S slots of shared memory
//   (after X and the offsets; a slot holds a round's value vectors, 16 B a lane, then its nibble
//   words, 4 B a lane) and an issue state (ir, is, ie, ib) that walks the same sequence of rounds
//   as the consumer (`next_round`), S - 1 rounds ahead. The prologue issues S - 1 rounds (slots 0 .. S - 2), one cp.async
//   group each (empty groups too, so the count stays uniform); each step waits until at most S - 2
//   groups are pending (its round, issued S - 1 groups ago, has landed), reads its slot, issues the
//   next round into the slot read one step before, and multiplies. A lane reads only what it copied
//   itself (the same lane, the same offsets), so cp.async's wait orders every access; no barrier.

extension CompactKernel {
    /// What the double-buffered skeleton needs from a format: its helpers; the prologue, after the
    /// first row's (r, start, end, base), that declares the round's registers (and any state) and
    /// puts the first round(s) in flight; the step, after the next round's (nr, ns, ne, nb), that
    /// makes the current round ready to multiply and puts the next in flight; the multiply; what
    /// moves the next round into the current one; and what a new row resets.
    struct DoubleBufferedFormat {
        var offsets: String
        var helpers: String
        var prologue: String
        var step: String
        var multiply: String
        var swap: String
        var newRow = ""
    }

    static func renderDoubleBuffered(_ problem: SpMMProblem, _ config: CompactConfig, entryPoint: String) -> String {
        precondition(config.split == 1, "renderDoubleBuffered: validate() admits split 1 only")
        let parameters = config.parameters(for: problem)
        let bias = problem.epilogue.hasBias ? "const float b = to_f32(bias[row]);\n            " : ""
        let value = KernelGen.epilogueExpression(problem.epilogue, "v", residual: "to_f32(residual[(size_t)row * kM + j])")
        let format = config.format == .csr16 ? Self.csr16Rounds : Self.delta4Rounds(problem, config)
        return """
            \(header(problem, config))
            // The round after (r, start, end, base): the row's next base, else the first round of row r + kWarps
            // (r >= rowsHere: none, and base >= end).
            __device__ __forceinline__ void next_round(int& r, int& start, int& end, int& base, const int* offs, int rowsHere) {
              base += kUnroll * 32 * kVec;
              if (base >= end) {
                r += kWarps;
                if (r < rowsHere) { start = offs[r]; end = offs[r + 1]; base = start & ~(kVec - 1); }
              }
            }
            \(format.helpers)
            extern "C" __global__ void __launch_bounds__(kThreads, kBlocksPerSM) \(entryPoint)(\(KernelParameter.cList(parameters))) {
              extern __shared__ __align__(16) unsigned char smem[];
              xs_t* xs = reinterpret_cast<xs_t*>(smem);
              int* offs = reinterpret_cast<int*>(smem + kXBytes);
              (void)m;
              const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
              const int rowBegin = blockIdx.x * kRows;
              const int rowsHere = min(kRows, n - rowBegin);
              for (int i = tid; i <= rowsHere; i += kThreads) offs[i] = __ldg(\(format.offsets) + rowBegin + i);
              stage_x(xs, x, 0, kK);
              __syncthreads();
              int r = warp;
              if (r >= rowsHere) return;
              int start = offs[r], end = offs[r + 1], base = start & ~(kVec - 1);
            \(format.prologue)
              float acc[kM];
            #pragma unroll
              for (int j = 0; j < kM; ++j) acc[j] = 0.0f;
              while (true) {
                int nr = r, ns = start, ne = end, nb = base;
                next_round(nr, ns, ne, nb, offs, rowsHere);
            \(format.step)
            \(format.multiply)
                if (nr != r) {
                  const int row = rowBegin + r;
            #pragma unroll
                  for (int j = 0; j < kM; ++j) {
                    float v = acc[j];
            #pragma unroll
                    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(kFull, v, o);
                    acc[j] = 0.0f;
                    if (lane == j) {
                      \(bias)y[(size_t)row * kM + j] = from_f32(\(value));
                    }
                  }
                  if (nr >= rowsHere) break;\(format.newRow)
                }
                r = nr; start = ns; end = ne; base = nb;
            \(format.swap)
              }
            }

            """
    }

    /// delta4's walk with fp32 X at m = 1 (`CompactConfig.stagesXAsFloat`): `xs_row_address(xs, r)`, row r's
    /// shared-memory byte address through an opaque move, so a lane that adds small steps to one row keeps it in a
    /// register and forms each entry's address with one LEA (without it the compiler re-adds r to the block's
    /// uniform base for every entry, an IADD and an LEA: seen in the SASS, nvdisasm of NVRTC 13.5 sm_90, session
    /// 20); `multiply_at(a, w, acc)` adds w times the fp32 at a.
    static let rowAddress = """
        __device__ __forceinline__ unsigned xs_row_address(const xs_t* xs, int r) {
          unsigned a;
          asm("mov.b32 %0, %1;" : "=r"(a) : "r"((unsigned)__cvta_generic_to_shared(xs + r)));
          return a;
        }
        __device__ __forceinline__ void multiply_at(unsigned a, float w, float (&acc)[kM]) {
          float v;
          asm volatile("ld.shared.f32 %0, [%1];" : "=f"(v) : "r"(a));
          acc[0] = fmaf(w, v, acc[0]);
        }
        """

    /// csr16: a round is its entries' columns and values, converted as they are loaded.
    static var csr16Rounds: DoubleBufferedFormat { DoubleBufferedFormat(
        offsets: "rowOffsets",
        helpers: "",
        prologue: """
              int col[kUnroll][kVec];
              float w[kUnroll][kVec];
              load_round(columnIndices16, values, base, end, lane, col, w);
            """,
        step: """
                int ncol[kUnroll][kVec];
                float nw[kUnroll][kVec];
                load_round(columnIndices16, values, nb, nr < rowsHere ? ne : nb, lane, ncol, nw);
            """,
        multiply: """
            #pragma unroll
                for (int u = 0; u < kUnroll; ++u) {
                  const int vp = base + (u * 32 + lane) * kVec;
            #pragma unroll
                  for (int e = 0; e < kVec; ++e) {
                    const int q = vp + e;
                    if (q >= start && q < end) multiply_row(xs, col[u][e], w[u][e], acc);
                  }
                }
            """,
        swap: """
            #pragma unroll
                for (int u = 0; u < kUnroll; ++u) {
            #pragma unroll
                  for (int e = 0; e < kVec; ++e) { col[u][e] = ncol[u][e]; w[u][e] = nw[u][e]; }
                }
            """) }

    /// delta4 (see the header's delta4 paragraph): a round is held raw and decoded when it is
    /// multiplied; `carry` is the row's running column. The next round waits in registers, or,
    /// with a ring, S - 1 rounds wait in shared memory (the header's ring paragraph).
    static func delta4Rounds(_ problem: SpMMProblem, _ config: CompactConfig) -> DoubleBufferedFormat {
        // fp32 X at m = 1: each entry's X address is one LEA from the lane's row address (rowAddress).
        let xsFloat = config.stagesXAsFloat(problem)
        let rowBase = xsFloat ? "const unsigned xb = xs_row_address(xs, carry + inclusive - run);"
            : "const xs_t* xb = xs + (carry + inclusive - run) * kM;"
        let multiplyEntry = xsFloat ? "multiply_at(xb + 4u * step, w[e], acc)" : "multiply_row(xb, step, w[e], acc)"
        let decode = """
            typedef \(ElementCode.rawType(problem.elementType, count: config.vectorWidth)) wraw_t;
            \(ElementCode.denseUnpack(problem.elementType, width: config.vectorWidth, name: "unpack_w"))
            \(xsFloat ? Self.rowAddress : "")
            // The sum of (delta + 1) through entry e of a vector, from its SWAR sums (hi: odd entries, lo: even).
            __device__ __forceinline__ int entry_sum(unsigned hi, unsigned lo, int e) {
              return (int)__byte_perm((e & 1) ? hi : lo, 0u, 0x4440u | (unsigned)(e >> 1));
            }

            // Decodes and multiplies one raw round of the row [start, end); `carry` is the column of the
            // row's last entry before the round (-1 at its start) and leaves as the round's last.
            template <bool Whole>
            __device__ __forceinline__ void multiply_round(
                const unsigned (&dn)[kUnroll], const wraw_t (&wr)[kUnroll], const xs_t* __restrict__ xs,
                int base, int start, int end, int lane, int& carry, float (&acc)[kM]) {
              constexpr unsigned kOnes = 0x01010101u >> (32 - 4 * kVec);  // 1 in each of the kVec / 2 bytes
            #pragma unroll
              for (int u = 0; u < kUnroll; ++u) {
                const int vp = base + (u * 32 + lane) * kVec;
                float w[kVec];
                unpack_w(wr[u], w);
                const unsigned odd = (dn[u] >> 4) & 0x0f0f0f0fu;
                const unsigned hi = ((dn[u] & 0x0f0f0f0fu) + odd + 2u * kOnes) * 0x01010101u;
                const unsigned lo = hi - odd - kOnes;
                const int run = (int)(hi >> 24);
                const int inclusive = warp_inclusive_sum(run);
                if (!Whole && u == 0 && base < start) {
                  const int e = start - base - 1;
                  carry -= __shfl_sync(kFull, entry_sum(hi, lo, e), 0);
                }
                \(rowBase)  // X's row before the lane's first entry
            #pragma unroll
                for (int e = 0; e < kVec; ++e) {
                  const int step = entry_sum(hi, lo, e);
                  if (Whole || (vp + e >= start && vp + e < end)) \(multiplyEntry);
                }
                carry += __shfl_sync(kFull, inclusive, 31);
              }
            }

            """
        let current = """
              int carry = -1;
              unsigned dn[kUnroll];
              wraw_t wr[kUnroll];
            """
        var format = DoubleBufferedFormat(
            offsets: "deltaOffsets", helpers: decode, prologue: "", step: "",
            multiply: """
                    if (base >= start && base + kUnroll * 32 * kVec <= end) {
                      multiply_round<true>(dn, wr, xs, base, start, end, lane, carry, acc);
                    } else {
                      multiply_round<false>(dn, wr, xs, base, start, end, lane, carry, acc);
                    }
                """,
            swap: "", newRow: "\n      carry = -1;")
        if config.ringStages == 0 {
            let nibbleType = config.vectorWidth == 2 ? "unsigned char" : config.vectorWidth == 4 ? "unsigned short" : "unsigned"
            format.helpers += """
                // One round, raw: lane l's u-th vector of kVec entries at base + (u 32 + l) kVec, its nibbles
                // (kVec / 2 bytes) and its values; zeros where the vector starts at or past `end`.
                __device__ __forceinline__ void load_raw_round(
                    const unsigned char* __restrict__ nib, const elem_t* __restrict__ val, int base, int end, int lane,
                    unsigned (&dn)[kUnroll], wraw_t (&wr)[kUnroll]) {
                #pragma unroll
                  for (int u = 0; u < kUnroll; ++u) {
                    const int vp = base + (u * 32 + lane) * kVec;
                    if (vp < end) {
                      dn[u] = (unsigned)__ldg(reinterpret_cast<const \(nibbleType)*>(nib + (vp >> 1)));
                      wr[u] = __ldg(reinterpret_cast<const wraw_t*>(val + vp));
                    } else {
                      dn[u] = 0u;
                      wr[u] = wraw_t();
                    }
                  }
                }

                """
            format.prologue = current + "\n  load_raw_round(deltaNibbles, deltaValues, base, end, lane, dn, wr);"
            format.step = """
                    unsigned ndn[kUnroll];
                    wraw_t nwr[kUnroll];
                    load_raw_round(deltaNibbles, deltaValues, nb, nr < rowsHere ? ne : nb, lane, ndn, nwr);
                """
            format.swap = """
                #pragma unroll
                    for (int u = 0; u < kUnroll; ++u) { dn[u] = ndn[u]; wr[u] = nwr[u]; }
                """
            return format
        }
        format.helpers += """
            #define kRing \(config.ringStages)
            #define kSlotBytes \(config.ringSlotBytes)
            #define kOffsetBytes \(config.offsetBytes(for: problem))
            __device__ __forceinline__ void cp_async_bytes(void* dst, const void* src, int bytes, int size) {
              const unsigned d = (unsigned)__cvta_generic_to_shared(dst);
              if (size == 16) asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" :: "r"(d), "l"(src), "r"(bytes));
              else asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;" :: "r"(d), "l"(src), "r"(bytes));
            }
            __device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;"); }
            template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;" :: "n"(N)); }

            // The round at base of the row ending at end into a slot: lane l's value vectors and nibble
            // words at its own offsets, zero-filled (nothing read) where a vector starts at or past end.
            __device__ __forceinline__ void issue_round(
                unsigned char* slot, const unsigned char* __restrict__ nib, const elem_t* __restrict__ val, int base, int end, int lane) {
            #pragma unroll
              for (int u = 0; u < kUnroll; ++u) {
                const int vp = base + (u * 32 + lane) * kVec;
                const bool ok = vp < end;
                cp_async_bytes(slot + (u * 32 + lane) * 16, val + (ok ? vp : 0), ok ? 16 : 0, 16);
                cp_async_bytes(slot + kUnroll * 32 * 16 + (u * 32 + lane) * 4, nib + (ok ? vp >> 1 : 0), ok ? 4 : 0, 4);
              }
            }

            """
        format.prologue = current + """

              unsigned char* ring = smem + kXBytes + kOffsetBytes + warp * (kRing * kSlotBytes);
              int ir = r, is = start, ie = end, ib = base, slot = 0;
            #pragma unroll
              for (int p = 0; p < kRing - 1; ++p) {
                if (ir < rowsHere) {
                  issue_round(ring + p * kSlotBytes, deltaNibbles, deltaValues, ib, ie, lane);
                  next_round(ir, is, ie, ib, offs, rowsHere);
                }
                cp_async_commit();
              }
            """
        format.step = """
                cp_async_wait<kRing - 2>();
                {
                  const unsigned char* cur = ring + slot * kSlotBytes;
            #pragma unroll
                  for (int u = 0; u < kUnroll; ++u) {
                    wr[u] = *reinterpret_cast<const wraw_t*>(cur + (u * 32 + lane) * 16);
                    dn[u] = *reinterpret_cast<const unsigned*>(cur + kUnroll * 32 * 16 + (u * 32 + lane) * 4);
                  }
                  unsigned char* refill = ring + (slot == 0 ? kRing - 1 : slot - 1) * kSlotBytes;
                  if (ir < rowsHere) {
                    issue_round(refill, deltaNibbles, deltaValues, ib, ie, lane);
                    next_round(ir, is, ie, ib, offs, rowsHere);
                  }
                  cp_async_commit();
                }
            """
        format.swap = "    slot = slot + 1 == kRing ? 0 : slot + 1;"
        return format
    }
}
