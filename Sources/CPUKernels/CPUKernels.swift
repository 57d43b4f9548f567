// The CPUKernels module; see ../shared/docs/architecture.md.
//
// What is here:
// - CPUSpMMPlan (SpMM/): sparse x dense products for CSR and BSR weights, Y = W X and the
//   `linear` convention, fused bias and ReLU, register tiles over M, nonzero-balanced row
//   chunks run on CPUWorkerPool (Threads/), and an optional CPUSpMMWorkspace into which X is
//   repacked with 64-byte aligned rows at a stride padded off 1 KiB multiples.
// - DenseGEMM (Dense/): cblas_sgemm from OpenBLAS (or any CBLAS) opened with dlopen, and a
//   Swift SIMD fallback.
// - NaiveCSR, CPUBenchmark, CPUInfo: the plain baseline, the clock, the host description.
//
// The SpMM kernels themselves are C (CPUKernelsC): one template compiled for AVX-512, AVX2+FMA
// and a portable path with function target attributes, the path picked at run time (CPUISA,
// `SPARROW_CPU_ISA` forces one). `SPARROW_CPU_TARGET=native` still compiles this module's Swift
// (repacking, the fallback GEMM) for the build machine; measured within 2.4% of the default build
// on DLMC rn50 at 0.9 (docs/perf/2026-11-30-cpu-epyc-isa).
