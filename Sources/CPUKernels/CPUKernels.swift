// The CPUKernels module; see ../shared/docs/architecture.md.
//
// What is here:
// - CPUSpMMPlan (SpMM/): sparse x dense products for CSR and BSR weights, Y = W X and the
//   `linear` convention, fused bias and ReLU, SIMD register tiles over M, nonzero-balanced
//   row chunks run on CPUWorkerPool (Threads/), and an optional CPUSpMMWorkspace into which
//   X is repacked with 64-byte aligned, 16-float padded rows.
// - DenseGEMM (Dense/): cblas_sgemm from OpenBLAS (or any CBLAS) opened with dlopen, and a
//   Swift SIMD fallback.
// - NaiveCSR, CPUBenchmark, CPUInfo: the plain baseline, the clock, the host description.
//
// Vector width is fixed at compile time (Swift has no per-function target attributes):
// the default build targets baseline x86-64 (SSE2, no FMA) and runs anywhere;
// `SPARROW_CPU_TARGET=native swift build -c release` (or `znver4`, `skylake-avx512`,
// `haswell`) compiles this module for that CPU, defines SPARROW_FMA (fused multiply-add)
// and, for AVX-512 CPUs, SPARROW_AVX512 (more accumulators). On the development machine
// (AMD EPYC, AVX-512) the native build ran one core of the SpMM kernels at 67-102 GFLOP/s against
// 25-39 for the default build (development measurement), and the DLMC rn50 0.9 benchmark about 1.45x
// faster end to end (docs/perf/2026-11-21-cpu-epyc).
