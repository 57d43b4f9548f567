// The AVX-512 path: 16-float vectors, 32 registers, mask registers for tails, gathers for SpMV.
#if defined(__x86_64__)
#include <immintrin.h>
#include "spmm_paths.h"

#define ISA_FN(name) name##_avx512
#define TARGET __attribute__((target("avx512f,avx2,fma,avx")))
#define VW 16
#define VREGS 32
typedef __m512 vec;
typedef __mmask16 mask_t;
#define VZERO() _mm512_setzero_ps()
#define VLOAD(p) _mm512_loadu_ps(p)
#define VLOADM(p, m) _mm512_maskz_loadu_ps((m), (p))
#define VSET1(f) _mm512_set1_ps(f)
#define VFMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm512_add_ps((a), (b))
// MAXPS returns its second operand when either is NaN: max(0, NaN) is NaN.
#define VRELU(v) _mm512_max_ps(_mm512_setzero_ps(), (v))
#define VSTORE(p, v) _mm512_storeu_ps((p), (v))
#define VSTOREM(p, m, v) _mm512_mask_storeu_ps((p), (m), (v))
#define VSTREAM(p, v) _mm512_stream_ps((p), (v))
#define VSTREAM_ALIGN 64
#define MASK_FIRST(n) ((mask_t)((1u << (n)) - 1u))

// Sixteen column indices gather sixteen X values; two sums in flight, the tail masked.
#define SPMV_ROW(s, lo, hi)                                                                                 \
    do {                                                                                                    \
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();                                          \
        int64_t p = (lo);                                                                                   \
        for (; p + 32 <= (hi); p += 32) {                                                                   \
            const __m512i i0 = _mm512_loadu_si512(cols + p), i1 = _mm512_loadu_si512(cols + p + 16);         \
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(values + p), _mm512_i32gather_ps(i0, x, 4), a0);           \
            a1 = _mm512_fmadd_ps(_mm512_loadu_ps(values + p + 16), _mm512_i32gather_ps(i1, x, 4), a1);      \
        }                                                                                                   \
        for (; p + 16 <= (hi); p += 16) {                                                                   \
            const __m512i i0 = _mm512_loadu_si512(cols + p);                                                \
            a0 = _mm512_fmadd_ps(_mm512_loadu_ps(values + p), _mm512_i32gather_ps(i0, x, 4), a0);           \
        }                                                                                                   \
        if (p < (hi)) {                                                                                     \
            const __mmask16 m = MASK_FIRST((int)((hi) - p));                                                \
            const __m512i i0 = _mm512_maskz_loadu_epi32(m, cols + p);                                       \
            const __m512 g = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, i0, x, 4);                    \
            a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, values + p), g, a1);                              \
        }                                                                                                   \
        (s) = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));                                                  \
    } while (0)

#include "encoder_template.h"
#include "attention_acsr_template.h"
#include "spmm_template.h"
#endif
