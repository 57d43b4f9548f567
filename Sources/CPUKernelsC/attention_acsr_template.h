// Fused sparse attention over an ACSR pattern (SparseFormats' ACSR: per query row, a few affine
// segments of keys), written once and compiled per instruction set (included by spmm_avx512.c,
// spmm_avx2.c and spmm_portable.c after encoder_template.h, whose vexp it uses). Token-major
// operands: query i's features are q[i * ld + f], f < head_size (likewise K, V; the output row i
// at out[i * out_ld + f]).
//
// Desk check:
// - Per row: the keys of its segments in order, ACSR_CHUNK at a time (an online softmax, as
//   FlashAttention's): the chunk's scores s_c = scale q.k_c (four keys at a time, four
//   independent vector sums, each reduced by halving), the chunk's max m' = max(m, max_c s_c),
//   p_c = exp(s_c - m'), then l = l e^(m - m') + sum_c p_c and acc = acc e^(m - m') + sum_c p_c v_c
//   (acc is the output row, one vector of features at a time, four keys in flight). At the end
//   out = acc / l; a row without keys is zeros. The score matrix never reaches memory.
// - exp is encoder_template.h's vexp (2 ulp); e^(m - m') is 0 on the first chunk (m = -inf: acc
//   and l are 0 then, and the clamped exp's 1e-38 times 0 is 0) and exactly 1 when m' = m.
// - Tails: the last vector of a row of head_size floats is masked (loads give 0 in the lanes past
//   head_size, stores skip them), so nothing past a row's head_size floats is read or written.
//   The scores buffer is ACSR_CHUNK (a multiple of every VW) floats, zeroed per row, so the exp of
//   lanes past the chunk's n keys reads finite values and none of them is used.
// - Every key comes from a validated ACSR (0 <= key < length): K and V are read at rows < length;
//   Q and the output only at the caller's rows [r0, r1).

#define ACSR_CHUNK 64

static ALWAYS_INLINE TARGET vec ISA_FN(acsr_load)(const float *p, int64_t f, int64_t d, mask_t tail) {
    return f + VW <= d ? VLOAD(p + f) : VLOADM(p + f, tail);
}

static ALWAYS_INLINE TARGET void ISA_FN(acsr_store)(float *p, int64_t f, int64_t d, mask_t tail, vec v) {
    if (f + VW <= d) VSTORE(p + f, v); else VSTOREM(p + f, tail, v);
}

typedef float ISA_FN(acsr_f8) __attribute__((vector_size(32)));
typedef float ISA_FN(acsr_f4) __attribute__((vector_size(16)));
typedef float ISA_FN(acsr_f2) __attribute__((vector_size(8)));

/// The sum of a vector's lanes by halving (log2 VW dependent adds, not VW - 1).
static ALWAYS_INLINE TARGET float ISA_FN(acsr_hsum)(vec v) {
#if VW == 16
    const ISA_FN(acsr_f8) h8 = __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +
                               __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
#elif VW == 8
    const ISA_FN(acsr_f8) h8 = (ISA_FN(acsr_f8))v;
#endif
#if VW >= 8
    const ISA_FN(acsr_f4) h4 = __builtin_shufflevector(h8, h8, 0, 1, 2, 3) + __builtin_shufflevector(h8, h8, 4, 5, 6, 7);
#else
    const ISA_FN(acsr_f4) h4 = (ISA_FN(acsr_f4))v;
#endif
    const ISA_FN(acsr_f2) h2 = __builtin_shufflevector(h4, h4, 0, 1) + __builtin_shufflevector(h4, h4, 2, 3);
    return h2[0] + h2[1];
}

/// scores[c] = scale q.k_{keys[c]} for c < n.
static ALWAYS_INLINE TARGET void ISA_FN(acsr_scores)(const sparrow_acsr_attention_operands *o, const float *q,
                                                    const int32_t *keys, int n, float *scores, const int64_t d,
                                                    mask_t tail) {
    const int64_t ld = o->ld;
    int c = 0;
    for (; c + 4 <= n; c += 4) {
        const float *k0 = o->k + keys[c] * ld, *k1 = o->k + keys[c + 1] * ld;
        const float *k2 = o->k + keys[c + 2] * ld, *k3 = o->k + keys[c + 3] * ld;
        vec a0 = VZERO(), a1 = VZERO(), a2 = VZERO(), a3 = VZERO();
        for (int64_t f = 0; f < d; f += VW) {
            const vec qv = ISA_FN(acsr_load)(q, f, d, tail);
            a0 = VFMA(qv, ISA_FN(acsr_load)(k0, f, d, tail), a0);
            a1 = VFMA(qv, ISA_FN(acsr_load)(k1, f, d, tail), a1);
            a2 = VFMA(qv, ISA_FN(acsr_load)(k2, f, d, tail), a2);
            a3 = VFMA(qv, ISA_FN(acsr_load)(k3, f, d, tail), a3);
        }
        scores[c] = ISA_FN(acsr_hsum)(a0) * o->scale;
        scores[c + 1] = ISA_FN(acsr_hsum)(a1) * o->scale;
        scores[c + 2] = ISA_FN(acsr_hsum)(a2) * o->scale;
        scores[c + 3] = ISA_FN(acsr_hsum)(a3) * o->scale;
    }
    for (; c < n; c++) {
        const float *k0 = o->k + keys[c] * ld;
        vec a0 = VZERO();
        for (int64_t f = 0; f < d; f += VW) a0 = VFMA(ISA_FN(acsr_load)(q, f, d, tail), ISA_FN(acsr_load)(k0, f, d, tail), a0);
        scores[c] = ISA_FN(acsr_hsum)(a0) * o->scale;
    }
}

/// One chunk of n keys folded into the running max m, sum l and accumulator acc (the output row).
static ALWAYS_INLINE TARGET void ISA_FN(acsr_chunk)(const sparrow_acsr_attention_operands *o, const float *q, float *acc,
                                                   const int32_t *keys, int n, float *p, float *m, float *l,
                                                   const int64_t d, mask_t tail) {
    ISA_FN(acsr_scores)(o, q, keys, n, p, d, tail);
    float largest = *m;
    for (int c = 0; c < n; c++) largest = p[c] > largest ? p[c] : largest;
    const float factor = *m == -__builtin_inff() ? 0.0f : ISA_FN(vexp)(VSET1(*m - largest))[0];
    for (int c = 0; c < n; c += VW) VSTORE(p + c, ISA_FN(vexp)(VLOAD(p + c) - VSET1(largest)));
    float sum = 0.0f;
    for (int c = 0; c < n; c++) sum += p[c];
    *l = *l * factor + sum;
    *m = largest;
    const int64_t ld = o->ld;
    for (int64_t f = 0; f < d; f += VW) {
        vec a0 = ISA_FN(acsr_load)(acc, f, d, tail) * VSET1(factor), a1 = VZERO(), a2 = VZERO(), a3 = VZERO();
        int c = 0;
        for (; c + 4 <= n; c += 4) {
            a0 = VFMA(VSET1(p[c]), ISA_FN(acsr_load)(o->v + keys[c] * ld, f, d, tail), a0);
            a1 = VFMA(VSET1(p[c + 1]), ISA_FN(acsr_load)(o->v + keys[c + 1] * ld, f, d, tail), a1);
            a2 = VFMA(VSET1(p[c + 2]), ISA_FN(acsr_load)(o->v + keys[c + 2] * ld, f, d, tail), a2);
            a3 = VFMA(VSET1(p[c + 3]), ISA_FN(acsr_load)(o->v + keys[c + 3] * ld, f, d, tail), a3);
        }
        for (; c < n; c++) a0 = VFMA(VSET1(p[c]), ISA_FN(acsr_load)(o->v + keys[c] * ld, f, d, tail), a0);
        ISA_FN(acsr_store)(acc, f, d, tail, (a0 + a1) + (a2 + a3));
    }
}

static ALWAYS_INLINE TARGET void ISA_FN(acsr_row)(const sparrow_acsr_attention_operands *o, int64_t i, const int64_t d) {
    const int64_t segments = o->segments_per_row;
    const int tail_lanes = (int)(d - (d - 1) / VW * VW);
    const mask_t tail = MASK_FIRST(tail_lanes);
    const float *q = o->q + i * o->ld;
    float *out = o->out + i * o->out_ld;
    int32_t keys[ACSR_CHUNK];
    float p[ACSR_CHUNK] __attribute__((aligned(64)));
    for (int c = 0; c < ACSR_CHUNK; c++) p[c] = 0.0f;
    for (int64_t f = 0; f < d; f += VW) ISA_FN(acsr_store)(out, f, d, tail, VZERO());
    float m = -__builtin_inff(), l = 0.0f;
    int n = 0;
    for (int64_t s = 0; s < segments; s++) {
        const int64_t slot = i * segments + s;
        const int32_t count = o->segment_count[slot], start = o->segment_start[slot], stride = o->segment_stride[slot];
        if (count == 0) break;  // unused segments come last
        for (int32_t t = 0; t < count; t++) {
            keys[n++] = start + stride * t;
            if (n == ACSR_CHUNK) {
                ISA_FN(acsr_chunk)(o, q, out, keys, n, p, &m, &l, d, tail);
                n = 0;
            }
        }
    }
    if (n > 0) ISA_FN(acsr_chunk)(o, q, out, keys, n, p, &m, &l, d, tail);
    if (l <= 0.0f) return;  // no keys: the row stays zero
    const vec inverse = VSET1(1.0f / l);
    for (int64_t f = 0; f < d; f += VW) ISA_FN(acsr_store)(out, f, d, tail, ISA_FN(acsr_load)(out, f, d, tail) * inverse);
}

TARGET void ISA_FN(sparrow_acsr_attention)(const sparrow_acsr_attention_operands *o, int64_t r0, int64_t r1) {
    // The common head sizes get constant loop bounds (unrolled, accumulators in registers).
    switch (o->head_size) {
    case 32: for (int64_t i = r0; i < r1; i++) ISA_FN(acsr_row)(o, i, 32); break;
    case 64: for (int64_t i = r0; i < r1; i++) ISA_FN(acsr_row)(o, i, 64); break;
    case 128: for (int64_t i = r0; i < r1; i++) ISA_FN(acsr_row)(o, i, 128); break;
    default: for (int64_t i = r0; i < r1; i++) ISA_FN(acsr_row)(o, i, o->head_size); break;
    }
}
