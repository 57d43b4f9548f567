// The portable path: 4-float vectors in the compiler's vector extension (SSE2 on baseline x86-64,
// NEON on arm64), tails copied lane by lane, a scalar SpMV with four partial sums.
#include <string.h>
#include "spmm_paths.h"

#define ISA_FN(name) name##_portable
#define TARGET
#define VW 4
#define VREGS 16
typedef float vec __attribute__((vector_size(16)));
typedef int ivec __attribute__((vector_size(16)));
typedef int mask_t;

static inline vec sparrow_load4(const float *p) {
    vec v;
    memcpy(&v, p, sizeof v);
    return v;
}
// The first n (1 to 3) floats; the others are not read.
static inline vec sparrow_load_first(const float *p, int n) {
    return (vec){p[0], n > 1 ? p[1] : 0.0f, n > 2 ? p[2] : 0.0f, 0.0f};
}
static inline void sparrow_store4(float *p, vec v) { memcpy(p, &v, sizeof v); }
static inline void sparrow_store_first(float *p, int n, vec v) {
    p[0] = v[0];
    if (n > 1) p[1] = v[1];
    if (n > 2) p[2] = v[2];
}
// y < 0 -> 0; the comparison is false for NaN and -0, which stay.
static inline vec sparrow_relu4(vec v) {
    const vec zero = {0, 0, 0, 0};
    return (vec)((ivec)v & ~(ivec)(v < zero));
}

#define VZERO() ((vec){0, 0, 0, 0})
#define VLOAD(p) sparrow_load4(p)
#define VLOADM(p, n) sparrow_load_first((p), (n))
#define VSET1(f) ((vec){(f), (f), (f), (f)})
#define VFMA(a, b, c) ((a) * (b) + (c))
#define VADD(a, b) ((a) + (b))
#define VRELU(v) sparrow_relu4(v)
#define VSTORE(p, v) sparrow_store4((p), (v))
#define VSTOREM(p, n, v) sparrow_store_first((p), (n), (v))
#define VSTREAM(p, v) sparrow_store4((p), (v))
#define VSTREAM_ALIGN 16
#define MASK_FIRST(n) (n)

#define SPMV_ROW(s, lo, hi)                                                                                 \
    do {                                                                                                    \
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                                               \
        int64_t p = (lo);                                                                                   \
        for (; p + 4 <= (hi); p += 4) {                                                                     \
            s0 += values[p] * x[cols[p]];                                                                   \
            s1 += values[p + 1] * x[cols[p + 1]];                                                           \
            s2 += values[p + 2] * x[cols[p + 2]];                                                           \
            s3 += values[p + 3] * x[cols[p + 3]];                                                           \
        }                                                                                                   \
        for (; p < (hi); p++) s0 += values[p] * x[cols[p]];                                                 \
        (s) = (s0 + s1) + (s2 + s3);                                                                        \
    } while (0)

#include "encoder_template.h"
#include "attention_acsr_template.h"
#include "spmm_template.h"
