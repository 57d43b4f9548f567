// The SpMM kernels, written once and compiled per instruction set: spmm_avx512.c, spmm_avx2.c
// and spmm_portable.c define the vector macros below and include this file.
//
// Required macros: ISA_FN(name) (suffixes a name with the path), TARGET (the function
// attribute), VW (floats per vector), VREGS (vector registers), vec, mask_t, VZERO(), VLOAD(p),
// VLOADM(p, m), VSET1(f), VFMA(a, b, c) (= a * b + c), VADD(a, b), VRELU(v) (max(0, v) with NaN
// kept), VSTORE(p, v), VSTOREM(p, m, v), VSTREAM(p, v), MASK_FIRST(n) (the first n lanes),
// VSTREAM_ALIGN (bytes a streaming store's address needs), and the spmv body SPMV_ROW.
//
// Desk check (one register tile):
// - A tile is NV vectors (NV * VW columns of X and Y) over R rows of W at once. Each stored value
//   w of row r at column k adds w * X[k, tile] into R x NV accumulators; R > 1 (BSR blocks of 4
//   rows) shares each loaded X vector between R rows, which is what makes 4 x C blocks cheaper
//   per value than CSR. For CSR (R = 1, one X row per value), two accumulator sets take
//   alternate values so that 2 * NV FMA chains are in flight (an FMA's latency is ~4 cycles at
//   two per cycle) when the register file holds them.
// - Registers: R * NV accumulators + NV loaded X vectors + one broadcast must fit in VREGS (for
//   R = 1 the loads fold into the FMAs), so the dispatcher splits wider tiles (TILE_FITS below).
//   Spilling an accumulator costs more than the latency it hides. The second CSR set is used
//   when 2 * NV + 2 vectors fit.
// - The last vector of a tile is masked when the tile's columns are not a multiple of VW: loads
//   of masked lanes are not performed (no reads past X's rows) and masked lanes are not stored.
// - Bounds: the caller (CPUSpMMPlan) validated every block column against K / block_columns and
//   passes columns within X's row stride and Y's width; every address formed below lies inside
//   the caller's buffers. `row_map`, when set, is a permutation of the rows (built by
//   SparseFormats' RowOrder, checked when the plan was made), so a mapped row is a row of Y; every
//   row of Y, the bias and the residual is addressed through out_row, partial sums between column
//   panels included. The panel offsets are indexed by stored row.
// - Epilogue: y = W x (+ bias[row]) then ReLU (y < 0 -> 0; NaN stays NaN, as PyTorch's relu),
//   then GELU (encoder_template.h's vgelu), then + residual[row][column] (rows written with column
//   stride 1 only: the residual is read at the same columns as the stored vector, masked alike).
//   With streaming_stores, full vectors whose address is VSTREAM_ALIGN-aligned bypass the caches
//   (Y written once and not read again); the caller fences before it reads Y (sparrow_spmm does).

#define ALWAYS_INLINE inline __attribute__((always_inline))

static ALWAYS_INLINE TARGET vec ISA_FN(finish)(vec v, const sparrow_spmm_operands *o, int64_t row) {
    if (o->bias) v = VADD(v, VSET1(o->bias[row]));
    if (o->relu) v = VRELU(v);
    if (o->gelu) v = ISA_FN(vgelu)(v);
    return v;
}

/// The output row of stored row `stored`: `row_map[stored]` when W's rows were reordered, else
/// `stored`. Every access to a row of Y, the bias or the residual goes through it.
static ALWAYS_INLINE int64_t ISA_FN(out_row)(const sparrow_spmm_operands *o, int64_t stored) {
    return o->row_map ? (int64_t)o->row_map[stored] : stored;
}

/// Stores NV accumulators of stored row `stored` at columns c0 ..< c0 + (NV - 1) * VW + lastCount
/// of its output row (``out_row``).
static ALWAYS_INLINE TARGET void ISA_FN(store_row)(const sparrow_spmm_operands *o, int64_t stored, int64_t c0,
                                                   const vec *acc, const int NV, const int MASKED,
                                                   mask_t lastMask, int lastCount) {
    const int64_t row = ISA_FN(out_row)(o, stored);
    if (o->y_column_stride == 1) {
        float *dst = o->y + row * o->y_row_stride + c0;
        const float *res = o->residual ? o->residual + row * o->residual_row_stride + c0 : 0;
        for (int v = 0; v < NV; v++) {
            vec r = ISA_FN(finish)(acc[v], o, row);
            if (res) r = VADD(r, (MASKED && v == NV - 1) ? VLOADM(res + v * VW, lastMask) : VLOAD(res + v * VW));
            if (MASKED && v == NV - 1) {
                VSTOREM(dst + v * VW, lastMask, r);
            } else if (o->streaming_stores && ((uintptr_t)(dst + v * VW) % VSTREAM_ALIGN) == 0) {
                VSTREAM(dst + v * VW, r);
            } else {
                VSTORE(dst + v * VW, r);
            }
        }
    } else {
        float lanes[VW];
        float *base = o->y + row * o->y_row_stride;
        const int64_t cs = o->y_column_stride;
        for (int v = 0; v < NV; v++) {
            VSTORE(lanes, ISA_FN(finish)(acc[v], o, row));
            const int n = (MASKED && v == NV - 1) ? lastCount : VW;
            for (int l = 0; l < n; l++) base[(c0 + v * VW + l) * cs] = lanes[l];
        }
    }
}

/// ``store_row`` behind a call: the CSR tile's final store. Inlined, the epilogue's registers
/// (GELU's polynomial) made clang spill the accumulators of the whole loop (measured: 107
/// against 133 GFLOP/s on 1,536 x 384 at density 0.3). The vectors go by value (in registers
/// under the x86-64 vector calling convention): passed by address, the accumulators would live
/// in memory through the loop.
static __attribute__((noinline)) TARGET void ISA_FN(store_row_out)(const sparrow_spmm_operands *o, int64_t stored, int64_t c0,
                                                                   vec a0, vec a1, vec a2, vec a3, vec a4, vec a5, vec a6,
                                                                   vec a7, int nv, int masked, mask_t lastMask, int lastCount) {
    const vec acc[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (int v = 0; v < nv; v++) {
        if (masked && v == nv - 1) ISA_FN(store_row)(o, stored, c0 + v * VW, acc + v, 1, 1, lastMask, lastCount);
        else ISA_FN(store_row)(o, stored, c0 + v * VW, acc + v, 1, 0, lastMask, VW);
    }
}

/// Column c0 of the Y row (``out_row``) that holds stored row `stored`'s partial sums between
/// panels.
static ALWAYS_INLINE float *ISA_FN(partial_row)(const sparrow_spmm_operands *o, int64_t stored, int64_t c0) {
    return o->y + ISA_FN(out_row)(o, stored) * o->y_row_stride + c0;
}

/// Stores NV raw partial sums of stored row `stored` into its output row (``partial_row``; no
/// epilogue: a later panel loads them back from the same place and adds to them).
static ALWAYS_INLINE TARGET void ISA_FN(store_partial)(const sparrow_spmm_operands *o, int64_t stored, int64_t c0,
                                                       const vec *acc, const int NV, const int MASKED, mask_t lastMask) {
    float *dst = ISA_FN(partial_row)(o, stored, c0);
    for (int v = 0; v < NV; v++) {
        if (MASKED && v == NV - 1) VSTOREM(dst + v * VW, lastMask, acc[v]);
        else VSTORE(dst + v * VW, acc[v]);
    }
}

#define LOAD_X(p, v) ((MASKED && (v) == NV - 1) ? VLOADM((p) + (v) * VW, lastMask) : VLOAD((p) + (v) * VW))

/// Block rows [br0, br1), R rows of each block at a time, one tile of NV vectors at column c0.
/// CW is the block width when known at compile time (0: read it from the operands).
///
/// Column panels (o->panels = P > 1): W's blocks are stored panel by panel (CPUKernelsC.h). With
/// Y written by rows (column stride 1) and no residual aliasing Y, the panels are the outer loop:
/// the tile's X slab of one panel (64 columns x 128 floats = 32 KiB at the default) stays in L1
/// while every row of the range reads it, and each row's partial sums go to Y and come back for
/// the next panel (16 vector loads and stores a row and panel, against a stored value's NV loads
/// of X). With W's rows reordered (row_map) the partial sums of stored row r live in its output
/// row row_map[r] (``partial_row``), the row its final store writes: stored rows map to distinct
/// Y rows, so no two rows (nor two threads, which own disjoint stored rows) share partial sums.
/// Without panels a row's stored values read X rows from all K, a slab of K x 512 bytes that
/// lives in L2: at 128 columns the kernel then waits on L2 bandwidth (~64 bytes a cycle, one X
/// vector per FMA). Otherwise (transposed stores, or the residual is Y) the panels are walked
/// inside each row, which is the plain CSR / BSR order.
static ALWAYS_INLINE TARGET void ISA_FN(tile)(const sparrow_spmm_operands *o, int64_t br0, int64_t br1, int64_t c0,
                                              const int NV, const int MASKED, const int R, const int CW,
                                              mask_t lastMask, int lastCount) {
    const int64_t bR = o->block_rows;
    const int64_t c = CW ? CW : o->block_columns;
    const int64_t ldx = o->ldx;
    const int64_t valueStride = bR * c;
    const float *restrict x = o->x + c0;
    const int32_t *restrict offsets = o->offsets;
    const int32_t *restrict cols = o->columns;
    const float *restrict values = o->values;
    const int64_t pd = o->prefetch_distance;
    const int64_t panels = o->panels > 1 ? o->panels : 1;
    const int64_t pstride = o->panel_stride;
    const int outer = panels > 1 && o->y_column_stride == 1 && o->residual != o->y;
    // Cache lines of one X row segment of this tile.
    const int lines = (NV * VW * 4 + 63) / 64;
    const int sets = (R == 1 && CW == 1 && 2 * NV + 2 <= VREGS) ? 2 : 1;
    for (int64_t pass = 0; pass < (outer ? panels : 1); pass++) {
        // The panels this pass adds: one (outer), or all of them (inner).
        const int64_t p0 = outer ? pass : 0, p1 = outer ? pass + 1 : panels;
        const int last = !outer || pass == panels - 1;
        for (int64_t br = br0; br < br1; br++) {
            for (int64_t sub = 0; sub < bR; sub += R) {
                // Fixed-size arrays (R <= 4, NV <= 8), not variable-length ones: after inlining with
                // constant R and NV every used element is promoted to a register.
                vec acc[4][8];
                for (int i = 0; i < R; i++) {
                    if (pass == 0) {
                        for (int v = 0; v < NV; v++) acc[i][v] = VZERO();
                    } else {
                        // Y rows hold this row's partial sums of the earlier panels.
                        const float *part = ISA_FN(partial_row)(o, br * bR + sub + i, c0);
                        for (int v = 0; v < NV; v++) acc[i][v] = LOAD_X(part, v);
                    }
                }
                for (int64_t panel = p0; panel < p1; panel++) {
                    const int64_t lo = offsets[panel * pstride + br], hi = offsets[panel * pstride + br + 1];
                    if (R == 1 && CW == 1) {
                        // CSR, or one sub-row of 1-wide blocks: one X row per stored value.
                        vec acc2[8];
                        for (int v = 0; v < NV; v++) acc2[v] = VZERO();
                        int64_t p = lo;
                        if (sets == 2) {
                            for (; p + 2 <= hi; p += 2) {
                                if (pd && p + pd + 1 < hi) {
                                    const float *f0 = x + (int64_t)cols[p + pd] * ldx, *f1 = x + (int64_t)cols[p + pd + 1] * ldx;
                                    for (int l = 0; l < lines; l++) {
                                        __builtin_prefetch(f0 + l * 16, 0, 3);
                                        __builtin_prefetch(f1 + l * 16, 0, 3);
                                    }
                                }
                                const float *x0 = x + (int64_t)cols[p] * ldx, *x1 = x + (int64_t)cols[p + 1] * ldx;
                                const vec w0 = VSET1(values[p * valueStride + sub]);
                                const vec w1 = VSET1(values[(p + 1) * valueStride + sub]);
                                for (int v = 0; v < NV; v++) {
                                    acc[0][v] = VFMA(w0, LOAD_X(x0, v), acc[0][v]);
                                    acc2[v] = VFMA(w1, LOAD_X(x1, v), acc2[v]);
                                }
                            }
                        }
                        for (; p < hi; p++) {
                            if (pd && p + pd < hi) {
                                const float *f0 = x + (int64_t)cols[p + pd] * ldx;
                                for (int l = 0; l < lines; l++) __builtin_prefetch(f0 + l * 16, 0, 3);
                            }
                            const float *x0 = x + (int64_t)cols[p] * ldx;
                            const vec w0 = VSET1(values[p * valueStride + sub]);
                            for (int v = 0; v < NV; v++) acc[0][v] = VFMA(w0, LOAD_X(x0, v), acc[0][v]);
                        }
                        if (sets == 2)
                            for (int v = 0; v < NV; v++) acc[0][v] = VADD(acc[0][v], acc2[v]);
                    } else {
                        for (int64_t block = lo; block < hi; block++) {
                            const float *xb = x + (int64_t)cols[block] * c * ldx;
                            const float *vb = values + block * valueStride + sub * c;
                            for (int64_t k = 0; k < c; k++) {
                                const float *xr = xb + k * ldx;
                                vec xv[8];
                                for (int v = 0; v < NV; v++) xv[v] = LOAD_X(xr, v);
                                for (int i = 0; i < R; i++) {
                                    const vec w = VSET1(vb[i * c + k]);
                                    for (int v = 0; v < NV; v++) acc[i][v] = VFMA(w, xv[v], acc[i][v]);
                                }
                            }
                        }
                    }
                }
                for (int i = 0; i < R; i++) {
                    if (last) ISA_FN(store_row)(o, br * bR + sub + i, c0, acc[i], NV, MASKED, lastMask, lastCount);
                    else ISA_FN(store_partial)(o, br * bR + sub + i, c0, acc[i], NV, MASKED, lastMask);
                }
            }
        }
    }
}

/// The CSR tile (1 x 1 blocks) over stored rows [r0, r1), the tile above for R = 1 and CW = 1
/// written on its own: one X row per stored value, two accumulator sets taking alternate values
/// (2 * NV FMA chains in flight), and the column panels walked as the outer loop when `outer`
/// (the rule above). Kept apart because the general tile's extra loops made clang spill
/// accumulators here: measured on the EPYC, 1,536 x 384 at density 0.3 and 1,024 columns, one
/// thread, this form ran at 134-148 GFLOP/s and the general one with panels at 106-111
/// (docs/perf/2026-12-01-cpu-epyc-panels).
static ALWAYS_INLINE TARGET void ISA_FN(csr_tile)(const sparrow_spmm_operands *o, int64_t r0, int64_t r1, int64_t c0,
                                                  const int NV, const int MASKED, mask_t lastMask, int lastCount) {
    const int64_t ldx = o->ldx;
    const float *restrict x = o->x + c0;
    const int32_t *restrict offsets = o->offsets;
    const int32_t *restrict cols = o->columns;
    const float *restrict values = o->values;
    const int64_t pd = o->prefetch_distance;
    const int64_t panels = o->panels > 1 ? o->panels : 1;
    const int64_t pstride = o->panel_stride;
    const int outer = panels > 1 && o->y_column_stride == 1 && o->residual != o->y;
    const int lines = (NV * VW * 4 + 63) / 64;
    for (int64_t pass = 0; pass < (outer ? panels : 1); pass++) {
        const int64_t p0 = outer ? pass : 0, p1 = outer ? pass + 1 : panels;
        const int last = !outer || pass == panels - 1;
        for (int64_t stored = r0; stored < r1; stored++) {
            vec a[8], b[8];
            if (pass == 0) {
                for (int v = 0; v < NV; v++) a[v] = VZERO();
            } else {
                const float *part = ISA_FN(partial_row)(o, stored, c0);
                for (int v = 0; v < NV; v++) a[v] = LOAD_X(part, v);
            }
            for (int v = 0; v < NV; v++) b[v] = VZERO();
            for (int64_t panel = p0; panel < p1; panel++) {
                const int64_t lo = offsets[panel * pstride + stored], hi = offsets[panel * pstride + stored + 1];
                int64_t p = lo;
                for (; p + 2 <= hi; p += 2) {
                    if (pd && p + pd + 1 < hi) {
                        const float *f0 = x + (int64_t)cols[p + pd] * ldx, *f1 = x + (int64_t)cols[p + pd + 1] * ldx;
                        for (int l = 0; l < lines; l++) {
                            __builtin_prefetch(f0 + l * 16, 0, 3);
                            __builtin_prefetch(f1 + l * 16, 0, 3);
                        }
                    }
                    const float *x0 = x + (int64_t)cols[p] * ldx, *x1 = x + (int64_t)cols[p + 1] * ldx;
                    const vec w0 = VSET1(values[p]), w1 = VSET1(values[p + 1]);
                    for (int v = 0; v < NV; v++) {
                        a[v] = VFMA(w0, LOAD_X(x0, v), a[v]);
                        b[v] = VFMA(w1, LOAD_X(x1, v), b[v]);
                    }
                }
                if (p < hi) {
                    const float *x0 = x + (int64_t)cols[p] * ldx;
                    const vec w0 = VSET1(values[p]);
                    for (int v = 0; v < NV; v++) a[v] = VFMA(w0, LOAD_X(x0, v), a[v]);
                }
            }
            for (int v = 0; v < NV; v++) a[v] = VADD(a[v], b[v]);
            if (last)
                ISA_FN(store_row_out)(o, stored, c0, a[0], NV > 1 ? a[1] : a[0], NV > 2 ? a[2] : a[0], NV > 3 ? a[3] : a[0],
                                      NV > 4 ? a[4] : a[0], NV > 5 ? a[5] : a[0], NV > 6 ? a[6] : a[0],
                                      NV > 7 ? a[7] : a[0], NV, MASKED, lastMask, lastCount);
            else ISA_FN(store_partial)(o, stored, c0, a, NV, MASKED, lastMask);
        }
    }
}

#define CSR_CASE(N)                                                                                            \
    case 2 * N: if (2 * (N) + 2 <= VREGS) ISA_FN(csr_tile)(o, r0, r1, c0, N, 0, m, last); break;             \
    case 2 * N + 1: if (2 * (N) + 2 <= VREGS) ISA_FN(csr_tile)(o, r0, r1, c0, N, 1, m, last); break;

static TARGET void ISA_FN(csr_tiles)(const sparrow_spmm_operands *o, int64_t r0, int64_t r1, int64_t c0, int nv,
                                     int masked, mask_t m, int last) {
    switch (nv * 2 + masked) {
        CSR_CASE(1) CSR_CASE(2) CSR_CASE(3) CSR_CASE(4) CSR_CASE(5) CSR_CASE(6) CSR_CASE(7) CSR_CASE(8)
    default: break;
    }
}

// Whether a tile of R rows and N vectors fits the register file: R * N accumulators, N loaded X
// vectors and a broadcast. One row (R = 1) uses each X vector once, so its loads fold into the
// FMAs and only the accumulators count.
#define TILE_FITS(R, N) ((R) == 1 ? (N) + 2 <= VREGS : (R) * (N) + (N) + 1 <= VREGS)

#define TILE_CASE(R, CW, N)                                                                                    \
    case 2 * N: if (TILE_FITS(R, N)) ISA_FN(tile)(o, br0, br1, c0, N, 0, R, CW, m, last); break;              \
    case 2 * N + 1: if (TILE_FITS(R, N)) ISA_FN(tile)(o, br0, br1, c0, N, 1, R, CW, m, last); break;

// One instantiation per (R, CW): the block shapes with their own code. CSR is (1, 1).
#define TILE_VARIANT(R, CW)                                                                                    \
    static TARGET void ISA_FN(tile_##R##x##CW)(const sparrow_spmm_operands *o, int64_t br0, int64_t br1,       \
                                               int64_t c0, int nv, int masked, mask_t m, int last) {           \
        switch (nv * 2 + masked) {                                                                             \
            TILE_CASE(R, CW, 1) TILE_CASE(R, CW, 2) TILE_CASE(R, CW, 3) TILE_CASE(R, CW, 4)                    \
            TILE_CASE(R, CW, 5) TILE_CASE(R, CW, 6) TILE_CASE(R, CW, 7) TILE_CASE(R, CW, 8)                    \
        default: break;                                                                                        \
        }                                                                                                      \
    }

TILE_VARIANT(1, 1)
TILE_VARIANT(1, 4)
TILE_VARIANT(1, 8)
TILE_VARIANT(1, 0)
TILE_VARIANT(4, 1)
TILE_VARIANT(4, 4)
TILE_VARIANT(4, 0)

/// The most vectors one tile of R rows holds in registers (TILE_FITS).
static int ISA_FN(max_vectors)(int R) {
    int nv = 8;
    while (nv > 1 && !TILE_FITS(R, nv)) nv--;
    return nv;
}

/// Runs one tile of `nv` vectors (split into register-sized pieces) over block rows [br0, br1).
static TARGET void ISA_FN(tile_dispatch)(const sparrow_spmm_operands *o, int64_t br0, int64_t br1, int64_t c0,
                                         int nv, int lastCount) {
    const int R = (o->block_rows % 4 == 0) ? 4 : 1;
    const int cap = ISA_FN(max_vectors)(R);
    while (nv > 0) {
        const int piece = nv < cap ? nv : cap;
        const int isLast = piece == nv;
        const int masked = isLast && lastCount < VW;
        const int last = isLast ? lastCount : VW;
        const mask_t m = MASK_FIRST(last);
        const int64_t cw = o->block_columns;
        if (R == 4) {
            if (cw == 1) ISA_FN(tile_4x1)(o, br0, br1, c0, piece, masked, m, last);
            else if (cw == 4) ISA_FN(tile_4x4)(o, br0, br1, c0, piece, masked, m, last);
            else ISA_FN(tile_4x0)(o, br0, br1, c0, piece, masked, m, last);
        } else if (cw == 1 && o->block_rows == 1 && 2 * piece + 2 <= VREGS) {
            ISA_FN(csr_tiles)(o, br0, br1, c0, piece, masked, m, last);
        } else {
            if (cw == 1) ISA_FN(tile_1x1)(o, br0, br1, c0, piece, masked, m, last);
            else if (cw == 4) ISA_FN(tile_1x4)(o, br0, br1, c0, piece, masked, m, last);
            else if (cw == 8) ISA_FN(tile_1x8)(o, br0, br1, c0, piece, masked, m, last);
            else ISA_FN(tile_1x0)(o, br0, br1, c0, piece, masked, m, last);
        }
        c0 += (int64_t)piece * VW;
        nv -= piece;
    }
}

TARGET void ISA_FN(sparrow_spmm)(const sparrow_spmm_operands *o, int64_t br0, int64_t br1, int64_t c0, int64_t c1) {
    int tv = o->tile_vectors;
    if (tv < 1) tv = 1;
    if (tv > 8) tv = 8;
    const int64_t width = (int64_t)tv * VW;
    for (int64_t c = c0; c < c1; c += width) {
        const int64_t n = (c1 - c) < width ? (c1 - c) : width;
        const int nv = (int)((n + VW - 1) / VW);
        ISA_FN(tile_dispatch)(o, br0, br1, c, nv, (int)(n - (int64_t)(nv - 1) * VW));
    }
}

TARGET void ISA_FN(sparrow_spmv)(const sparrow_spmm_operands *o, int64_t r0, int64_t r1) {
    const int32_t *restrict offsets = o->offsets;
    const int32_t *restrict cols = o->columns;
    const float *restrict values = o->values;
    const float *restrict x = o->x;
    const int64_t panels = o->panels > 1 ? o->panels : 1;
    for (int64_t stored = r0; stored < r1; stored++) {
        const int64_t row = ISA_FN(out_row)(o, stored);
        float s = 0;
        for (int64_t panel = 0; panel < panels; panel++) {
            const int64_t at = panel * o->panel_stride + stored, lo = offsets[at], hi = offsets[at + 1];
            float part;
            SPMV_ROW(part, lo, hi);
            s += part;
        }
        if (o->bias) s += o->bias[row];
        if (o->relu && s < 0) s = 0;
        o->y[row * o->y_row_stride] = s;
    }
}

/// 16 independent FMA chains per round (enough to cover latency x throughput on every core known:
/// 4 cycles x 2 units x 2), on values that stay finite (x * 1 + 0).
TARGET float ISA_FN(sparrow_fma_probe)(int64_t iterations) {
    vec acc[16];
    for (int i = 0; i < 16; i++) acc[i] = VSET1((float)i);
    // Opaque to the optimiser, so the chains are not folded away.
    float unit = 1.0f, nothing = 0.0f;
    __asm__ volatile("" : "+m"(unit), "+m"(nothing));
    const vec one = VSET1(unit), zero = VSET1(nothing);
    for (int64_t n = 0; n < iterations; n++) {
        for (int i = 0; i < 16; i++) acc[i] = VFMA(acc[i], one, zero);
        __asm__ volatile("" : : : "memory");
    }
    vec total = VZERO();
    for (int i = 0; i < 16; i++) total = VADD(total, acc[i]);
    float lanes[VW];
    VSTORE(lanes, total);
    float s = 0;
    for (int l = 0; l < VW; l++) s += lanes[l];
    return s;
}
