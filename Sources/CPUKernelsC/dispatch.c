// Routes a call to the instruction-set path the caller chose (CPUKernels checks support first).
#include "spmm_paths.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

void sparrow_spmm(sparrow_cpu_isa isa, const sparrow_spmm_operands *o, int64_t br0, int64_t br1, int64_t c0,
                  int64_t c1) {
    switch (isa) {
#if defined(__x86_64__)
    case SPARROW_ISA_AVX512: sparrow_spmm_avx512(o, br0, br1, c0, c1); break;
    case SPARROW_ISA_AVX2: sparrow_spmm_avx2(o, br0, br1, c0, c1); break;
#endif
    default: sparrow_spmm_portable(o, br0, br1, c0, c1); break;
    }
#if defined(__x86_64__)
    // Non-temporal stores are weakly ordered: make them visible before the caller reads Y.
    if (o->streaming_stores) _mm_sfence();
#endif
}

void sparrow_spmv(sparrow_cpu_isa isa, const sparrow_spmm_operands *o, int64_t r0, int64_t r1) {
    switch (isa) {
#if defined(__x86_64__)
    case SPARROW_ISA_AVX512: sparrow_spmv_avx512(o, r0, r1); break;
    case SPARROW_ISA_AVX2: sparrow_spmv_avx2(o, r0, r1); break;
#endif
    default: sparrow_spmv_portable(o, r0, r1); break;
    }
}

float sparrow_fma_probe(sparrow_cpu_isa isa, int64_t iterations) {
    switch (isa) {
#if defined(__x86_64__)
    case SPARROW_ISA_AVX512: return sparrow_fma_probe_avx512(iterations);
    case SPARROW_ISA_AVX2: return sparrow_fma_probe_avx2(iterations);
#endif
    default: return sparrow_fma_probe_portable(iterations);
    }
}

void sparrow_epilogue_rows(sparrow_cpu_isa isa, float *y, int64_t ldy, int64_t columns, const float *bias, int32_t gelu,
                           const float *residual, int64_t ldr, int64_t r0, int64_t r1) {
    switch (isa) {
#if defined(__x86_64__)
    case SPARROW_ISA_AVX512: sparrow_epilogue_rows_avx512(y, ldy, columns, bias, gelu, residual, ldr, r0, r1); break;
    case SPARROW_ISA_AVX2: sparrow_epilogue_rows_avx2(y, ldy, columns, bias, gelu, residual, ldr, r0, r1); break;
#endif
    default: sparrow_epilogue_rows_portable(y, ldy, columns, bias, gelu, residual, ldr, r0, r1); break;
    }
}

int64_t sparrow_attention_scratch_count(int64_t length) {
    const int64_t pad = (length + 15) / 16 * 16;
    return length * pad + pad;
}

void sparrow_attention(sparrow_cpu_isa isa, const sparrow_attention_operands *o) {
    switch (isa) {
#if defined(__x86_64__)
    case SPARROW_ISA_AVX512: sparrow_attention_avx512(o); break;
    case SPARROW_ISA_AVX2: sparrow_attention_avx2(o); break;
#endif
    default: sparrow_attention_portable(o); break;
    }
}

void sparrow_acsr_attention(sparrow_cpu_isa isa, const sparrow_acsr_attention_operands *o, int64_t r0, int64_t r1) {
    switch (isa) {
#if defined(__x86_64__)
    case SPARROW_ISA_AVX512: sparrow_acsr_attention_avx512(o, r0, r1); break;
    case SPARROW_ISA_AVX2: sparrow_acsr_attention_avx2(o, r0, r1); break;
#endif
    default: sparrow_acsr_attention_portable(o, r0, r1); break;
    }
}
