// The CPUKernels module; see ../shared/docs/architecture.md.
//
// What is here:
// - CPUSpMMPlan (SpMM/): sparse x dense products for CSR and BSR weights, Y = W X (also over
//   row-strided operands, as a feature-major encoder keeps its activations) and the `linear`
//   convention, fused bias, ReLU, exact GELU and residual, register tiles over M,
//   nonzero-balanced row chunks run on CPUWorkerPool (Threads/), and an optional
//   CPUSpMMWorkspace into which X is repacked with 64-byte aligned rows at a stride padded off
//   1 KiB multiples.
// - CPUEncoderKernels (Encoder/): a transformer encoder's attention per (text, head) and the
//   dense layers' epilogue, over feature-major activations (C, encoder_template.h).
// - DenseGEMM (Dense/): cblas_sgemm from OpenBLAS (or any CBLAS) opened with dlopen, and a
//   Swift SIMD fallback.
// - NaiveCSR, CPUBenchmark, CPUInfo: the plain baseline, the clock, the host description.
//
// The SpMM and encoder kernels themselves are C (CPUKernelsC): one template each compiled for AVX-512, AVX2+FMA
// and a portable path with function target attributes, the path picked at run time (CPUISA,
// `SPARROW_CPU_ISA` forces one). `SPARROW_CPU_TARGET=native` still compiles this module's Swift
// (repacking, the fallback GEMM) for the build machine; measured within 2.4% of the default build
// on DLMC rn50 at 0.9 (docs/perf/2026-11-30-cpu-epyc-isa).
