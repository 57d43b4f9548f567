// The AVX2 + FMA path: 8-float vectors, 16 registers, masked loads and stores for tails,
// gathers for SpMV.
#if defined(__x86_64__)
#include <immintrin.h>
#include "spmm_paths.h"

#define ISA_FN(name) name##_avx2
#define TARGET __attribute__((target("avx2,fma,avx")))
#define VW 8
#define VREGS 16
typedef __m256 vec;
typedef __m256i mask_t;
#define VZERO() _mm256_setzero_ps()
#define VLOAD(p) _mm256_loadu_ps(p)
#define VLOADM(p, m) _mm256_maskload_ps((p), (m))
#define VSET1(f) _mm256_set1_ps(f)
#define VFMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define VADD(a, b) _mm256_add_ps((a), (b))
// MAXPS returns its second operand when either is NaN: max(0, NaN) is NaN.
#define VRELU(v) _mm256_max_ps(_mm256_setzero_ps(), (v))
#define VSTORE(p, v) _mm256_storeu_ps((p), (v))
#define VSTOREM(p, m, v) _mm256_maskstore_ps((p), (m), (v))
#define VSTREAM(p, v) _mm256_stream_ps((p), (v))
#define VSTREAM_ALIGN 32
#define MASK_FIRST(n) _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))

__attribute__((target("avx2,fma,avx"))) static inline float sparrow_hsum_avx2(__m256 v) {
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 t = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(t, _mm_shuffle_ps(t, t, 1)));
}

// Eight column indices gather eight X values; two sums in flight, the tail masked.
#define SPMV_ROW(s, lo, hi)                                                                                 \
    do {                                                                                                    \
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();                                          \
        int64_t p = (lo);                                                                                   \
        for (; p + 16 <= (hi); p += 16) {                                                                   \
            const __m256i i0 = _mm256_loadu_si256((const __m256i *)(cols + p));                             \
            const __m256i i1 = _mm256_loadu_si256((const __m256i *)(cols + p + 8));                         \
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(values + p), _mm256_i32gather_ps(x, i0, 4), a0);           \
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(values + p + 8), _mm256_i32gather_ps(x, i1, 4), a1);       \
        }                                                                                                   \
        for (; p + 8 <= (hi); p += 8) {                                                                     \
            const __m256i i0 = _mm256_loadu_si256((const __m256i *)(cols + p));                             \
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(values + p), _mm256_i32gather_ps(x, i0, 4), a0);           \
        }                                                                                                   \
        if (p < (hi)) {                                                                                     \
            const __m256i m = MASK_FIRST((int)((hi) - p));                                                  \
            const __m256i i0 = _mm256_maskload_epi32(cols + p, m);                                          \
            const __m256 g = _mm256_mask_i32gather_ps(_mm256_setzero_ps(), x, i0, _mm256_castsi256_ps(m), 4); \
            a1 = _mm256_fmadd_ps(_mm256_maskload_ps(values + p, m), g, a1);                                 \
        }                                                                                                   \
        (s) = sparrow_hsum_avx2(_mm256_add_ps(a0, a1));                                                     \
    } while (0)

#include "encoder_template.h"
#include "attention_acsr_template.h"
#include "spmm_template.h"
#endif
