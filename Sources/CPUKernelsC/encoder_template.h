// The encoder's kernels besides SpMM, written once and compiled per instruction set (included by
// spmm_avx512.c, spmm_avx2.c and spmm_portable.c before spmm_template.h, with its macros): the
// exact GELU (also the SpMM epilogue's), the dense layers' epilogue, and one (text, head) of attention over feature-major
// activations. The arithmetic uses the compiler's vector extensions on `vec` (a vector of VW
// floats on every path), so one body serves all three.
//
// Desk check:
// - exp: Cephes' expf (x = n ln 2 + r, |r| <= ln 2 / 2, degree-6 polynomial, 2^n built in the
//   exponent bits), within 2 ulp on [-87.3, 88.3]; x is clamped to that range, so -inf gives about
//   1e-38 (softmax's padding never reaches exp: only the `length` real keys are summed).
// - erf: x P(x^2) / Q(x^2), degrees 6 and 4 in x^2 (the minimax rational form Eigen and XLA use for
//   float), on x clamped to [-4, 4] (beyond, |erf| = 1 - 1.5e-8 rounds to 1). Against float64's
//   erf over [-10, 10] (2,000,001 points) the GELU built on it is within 1.1e-6 absolute (the
//   largest near |x| = 5.7, where GELU is ~1e-7) and 2.6e-7 elsewhere; it replaced Abramowitz
//   and Stegun 7.1.26 (an exp and a division per vector), 1.8x faster on the EPYC (GELU of
//   1,536 x 128: 54 -> 31 us; docs/perf/2026-12-01-cpu-epyc-minilm-panels128).
// - Attention, per call and per tile of queries: S = scale K^T Q (keys j by the tile's queries i,
//   rows of `pad` >= length floats), softmax down each of the tile's columns of S (over all the
//   keys), the tile's context = V S scaled by each column's 1 / sum.
//   Register tiles are R (4 or 1) rows by NV vectors of queries: R x NV accumulators, NV loaded
//   vectors and a broadcast fit in VREGS (NV = ATT_NV at most). Loads of Q past `length` are
//   masked (lanes zero, nothing read past the text); S's columns past `length` hold finite
//   values that no real column reads; context stores past `length` are masked, so the next
//   text's columns are never written. Every address is inside the caller's rows: Q, K, V, context
//   are read or written at columns < length, rows < head_size; S at rows < length, columns < pad.

#ifndef ALWAYS_INLINE
#define ALWAYS_INLINE inline __attribute__((always_inline))
#endif
#define ATT_NV (VREGS >= 32 ? 4 : 2)
#define ATT_PAD(n) (((n) + 15) / 16 * 16)

typedef int32_t ISA_FN(ivec) __attribute__((vector_size(VW * 4)));

static ALWAYS_INLINE TARGET vec ISA_FN(select)(ISA_FN(ivec) mask, vec a, vec b) {
    return (vec)((mask & (ISA_FN(ivec))a) | (~mask & (ISA_FN(ivec))b));
}

static ALWAYS_INLINE TARGET vec ISA_FN(vmax)(vec a, vec b) { return ISA_FN(select)(a > b, a, b); }

static ALWAYS_INLINE TARGET vec ISA_FN(vexp)(vec x) {
    x = ISA_FN(select)(x < VSET1(-87.3f), VSET1(-87.3f), x);
    x = ISA_FN(select)(x > VSET1(88.3f), VSET1(88.3f), x);
    // n = round(x / ln 2) by the 1.5 x 2^23 trick: the low mantissa bits of the sum hold n.
    const vec magic = VSET1(12582912.0f);
    const vec shifted = x * VSET1(1.44269504088896341f) + magic;
    const vec n = shifted - magic;
    const vec r = x - n * VSET1(0.693359375f) + n * VSET1(2.12194440e-4f);
    vec p = VSET1(1.9875691500e-4f);
    p = p * r + VSET1(1.3981999507e-3f);
    p = p * r + VSET1(8.3334519073e-3f);
    p = p * r + VSET1(4.1665795894e-2f);
    p = p * r + VSET1(1.6666665459e-1f);
    p = p * r + VSET1(5.0000001201e-1f);
    const vec er = p * (r * r) + r + VSET1(1.0f);
    const ISA_FN(ivec) integer = (ISA_FN(ivec))shifted - (ISA_FN(ivec))magic;
    return er * (vec)((integer + 127) << 23);
}

static ALWAYS_INLINE TARGET vec ISA_FN(verf)(vec x) {
    // erf(x) = x P(x^2) / Q(x^2) on [-4, 4], +-1 beyond (erf(4) = 1 - 1.5e-8).
    x = ISA_FN(select)(x < VSET1(-4.0f), VSET1(-4.0f), x);
    x = ISA_FN(select)(x > VSET1(4.0f), VSET1(4.0f), x);
    const vec x2 = x * x;
    vec p = x2 * VSET1(-2.72614225801306e-10f) + VSET1(2.77068142495902e-08f);
    p = x2 * p + VSET1(-2.10102402082508e-06f);
    p = x2 * p + VSET1(-5.69250639462346e-05f);
    p = x2 * p + VSET1(-7.34990630326855e-04f);
    p = x2 * p + VSET1(-2.95459980854025e-03f);
    p = x2 * p + VSET1(-1.60960333262415e-02f);
    vec q = x2 * VSET1(-1.45660718464996e-05f) + VSET1(-2.13374055278905e-04f);
    q = x2 * q + VSET1(-1.68282697438203e-03f);
    q = x2 * q + VSET1(-7.37332916720468e-03f);
    q = x2 * q + VSET1(-1.42647390514189e-02f);
    return x * p / q;
}

/// The exact GELU, x Phi(x) = x (1 + erf(x / sqrt 2)) / 2.
static ALWAYS_INLINE TARGET vec ISA_FN(vgelu)(vec x) {
    return x * VSET1(0.5f) * (VSET1(1.0f) + ISA_FN(verf)(x * VSET1(0.7071067811865476f)));
}

TARGET void ISA_FN(sparrow_epilogue_rows)(float *y, int64_t ldy, int64_t columns, const float *bias, int32_t gelu,
                                          const float *residual, int64_t ldr, int64_t r0, int64_t r1) {
    for (int64_t row = r0; row < r1; row++) {
        float *yr = y + row * ldy;
        const float *rr = residual ? residual + row * ldr : 0;
        const vec b = VSET1(bias ? bias[row] : 0.0f);
        for (int64_t c = 0; c < columns; c += VW) {
            const int n = columns - c < VW ? (int)(columns - c) : VW;
            const mask_t m = MASK_FIRST(n);
            vec v = (n == VW ? VLOAD(yr + c) : VLOADM(yr + c, m)) + b;
            if (gelu) v = ISA_FN(vgelu)(v);
            if (rr) v = v + (n == VW ? VLOAD(rr + c) : VLOADM(rr + c, m));
            if (n == VW) VSTORE(yr + c, v); else VSTOREM(yr + c, m, v);
        }
    }
}

/// S rows j0 ..< j0 + R (keys) at query columns i0 ..< i0 + NV VW: scale sum_f K[f][j] Q[f][i].
static ALWAYS_INLINE TARGET void ISA_FN(att_scores)(const sparrow_attention_operands *o, float *s, int64_t pad, int64_t j0,
                                                   int64_t i0, const int R, const int NV, const int MASKED,
                                                   mask_t lastMask) {
    vec acc[4][4];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = VZERO();
    const int64_t ld = o->ld;
    for (int64_t f = 0; f < o->head_size; f++) {
        const float *qf = o->q + f * ld + i0;
        vec qv[4];
        for (int v = 0; v < NV; v++) qv[v] = (MASKED && v == NV - 1) ? VLOADM(qf + v * VW, lastMask) : VLOAD(qf + v * VW);
        const float *kf = o->k + f * ld + j0;
        for (int r = 0; r < R; r++) {
            const vec w = VSET1(kf[r]);
            for (int v = 0; v < NV; v++) acc[r][v] = VFMA(w, qv[v], acc[r][v]);
        }
    }
    const vec scale = VSET1(o->scale);
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) VSTORE(s + (j0 + r) * pad + i0 + v * VW, acc[r][v] * scale);
}

/// Context rows f0 ..< f0 + R at query columns i0 ..< i0 + NV VW: inv[i] sum_j V[f][j] S[j][i].
static ALWAYS_INLINE TARGET void ISA_FN(att_context)(const sparrow_attention_operands *o, const float *s, const float *inv,
                                                    int64_t pad, int64_t f0, int64_t i0, const int R, const int NV,
                                                    const int MASKED, mask_t lastMask) {
    vec acc[4][4];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = VZERO();
    const int64_t ld = o->ld;
    const float *vf = o->v + f0 * ld;
    for (int64_t j = 0; j < o->length; j++) {
        vec sv[4];
        for (int v = 0; v < NV; v++) sv[v] = VLOAD(s + j * pad + i0 + v * VW);
        for (int r = 0; r < R; r++) {
            const vec w = VSET1(vf[r * ld + j]);
            for (int v = 0; v < NV; v++) acc[r][v] = VFMA(w, sv[v], acc[r][v]);
        }
    }
    for (int r = 0; r < R; r++) {
        float *out = o->context + (f0 + r) * ld + i0;
        for (int v = 0; v < NV; v++) {
            const vec result = acc[r][v] * VLOAD(inv + i0 + v * VW);
            if (MASKED && v == NV - 1) VSTOREM(out + v * VW, lastMask, result); else VSTORE(out + v * VW, result);
        }
    }
}

#define ATT_CASE(FN, N, ...)                                                                                   \
    case 2 * N: if (N <= ATT_NV) FN(__VA_ARGS__, N, 0, m); break;                                              \
    case 2 * N + 1: if (N <= ATT_NV) FN(__VA_ARGS__, N, 1, m); break;
#define ATT_SWITCH(FN, ...)                                                                                    \
    switch (nv * 2 + masked) {                                                                                 \
        ATT_CASE(FN, 1, __VA_ARGS__) ATT_CASE(FN, 2, __VA_ARGS__) ATT_CASE(FN, 3, __VA_ARGS__)                 \
        ATT_CASE(FN, 4, __VA_ARGS__)                                                                           \
    default: break;                                                                                            \
    }

TARGET void ISA_FN(sparrow_attention)(const sparrow_attention_operands *o) {
    const int64_t length = o->length, pad = ATT_PAD(length), d = o->head_size;
    if (length <= 0) return;
    float *s = o->scratch, *inv = s + length * pad;
    const int64_t tile = (int64_t)ATT_NV * VW;
    // One tile of queries at a time: all its scores, their softmax, then its context, while the
    // tile's columns of S are in cache.
    for (int64_t i0 = 0; i0 < length; i0 += tile) {
        const int64_t n = length - i0 < tile ? length - i0 : tile;
        const int nv = (int)((n + VW - 1) / VW);
        const int last = (int)(n - (int64_t)(nv - 1) * VW);
        const int masked = last < VW;
        const mask_t m = MASK_FIRST(last);
        int64_t j = 0;
        for (; j + 4 <= length; j += 4) { ATT_SWITCH(ISA_FN(att_scores), o, s, pad, j, i0, 4) }
        for (; j < length; j++) { ATT_SWITCH(ISA_FN(att_scores), o, s, pad, j, i0, 1) }
        // Softmax down each column of the tile, over the `length` keys.
        for (int64_t i = i0; i < i0 + (int64_t)nv * VW; i += VW) {
            vec largest = VLOAD(s + i);
            for (int64_t k = 1; k < length; k++) largest = ISA_FN(vmax)(largest, VLOAD(s + k * pad + i));
            vec sum = VZERO();
            for (int64_t k = 0; k < length; k++) {
                const vec e = ISA_FN(vexp)(VLOAD(s + k * pad + i) - largest);
                VSTORE(s + k * pad + i, e);
                sum = sum + e;
            }
            VSTORE(inv + i, VSET1(1.0f) / sum);
        }
        int64_t f = 0;
        for (; f + 4 <= d; f += 4) { ATT_SWITCH(ISA_FN(att_context), o, s, inv, pad, f, i0, 4) }
        for (; f < d; f++) { ATT_SWITCH(ISA_FN(att_context), o, s, inv, pad, f, i0, 1) }
    }
}
