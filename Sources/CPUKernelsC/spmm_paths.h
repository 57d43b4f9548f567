// The per-instruction-set entry points (spmm_avx512.c, spmm_avx2.c, spmm_portable.c), called by
// the dispatcher in dispatch.c.
#ifndef SPARROW_SPMM_PATHS_H
#define SPARROW_SPMM_PATHS_H
#include "CPUKernelsC.h"

#define SPARROW_DECLARE_PATH(suffix)                                                                       \
    void sparrow_spmm_##suffix(const sparrow_spmm_operands *o, int64_t br0, int64_t br1, int64_t c0,       \
                               int64_t c1);                                                                \
    void sparrow_spmv_##suffix(const sparrow_spmm_operands *o, int64_t r0, int64_t r1);                      \
    float sparrow_fma_probe_##suffix(int64_t iterations);                                                   \
    void sparrow_epilogue_rows_##suffix(float *y, int64_t ldy, int64_t columns, const float *bias, int32_t gelu, \
                                        const float *residual, int64_t ldr, int64_t r0, int64_t r1);        \
    void sparrow_attention_##suffix(const sparrow_attention_operands *o);                                  \
    void sparrow_acsr_attention_##suffix(const sparrow_acsr_attention_operands *o, int64_t r0, int64_t r1);

SPARROW_DECLARE_PATH(portable)
#if defined(__x86_64__)
SPARROW_DECLARE_PATH(avx2)
SPARROW_DECLARE_PATH(avx512)
#endif

#endif
