// Run-time CPU feature detection for the ISA dispatch: CPUID feature bits, and XGETBV for the
// register state the operating system saves on a context switch (a CPU with AVX-512 under an OS
// that does not save ZMM registers must not run AVX-512 code).
#include "CPUKernelsC.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

int sparrow_cpu_isa_supported(sparrow_cpu_isa isa) {
    if (isa == SPARROW_ISA_PORTABLE) return 1;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    const uint64_t xcr0 = read_xcr0();
    const int ymmState = (xcr0 & 0x6) == 0x6;            // SSE and AVX state
    const int zmmState = (xcr0 & 0xE6) == 0xE6;          // + opmask, ZMM_Hi256, Hi16_ZMM
    if (!ymmState) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    const int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
    switch (isa) {
    case SPARROW_ISA_AVX2: return avx2;
    case SPARROW_ISA_AVX512: return avx512f && zmmState;
    default: return 0;
    }
}
#else
int sparrow_cpu_isa_supported(sparrow_cpu_isa isa) { return isa == SPARROW_ISA_PORTABLE; }
#endif

int sparrow_cpu_isa_lanes(sparrow_cpu_isa isa) {
    switch (isa) {
    case SPARROW_ISA_AVX512: return 16;
    case SPARROW_ISA_AVX2: return 8;
    default: return 4;
    }
}
