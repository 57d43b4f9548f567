import CUDA
import Runtime
import SparseFormats

/// The one list of baselines Sparrow is compared against (`benchmarks.md`): the benchmark and the
/// self-test take theirs from here, so a new baseline library is one line below plus its
/// candidate type.
package enum Baselines {
    /// On a GPU, for kernels computing in `precisions`: cuSPARSE CSR SpMM with each algorithm in
    /// each precision, cuSPARSELt's 2:4 GEMM at fp16 / bf16 (it skips, saying why, where W is not
    /// 2:4 or the library is missing), then dense cuBLAS GEMM on W with its zeros (fp32 without TF32, TF32 and
    /// fp16 tensor cores when fp32 is asked for; fp16 for fp16; bf16 for bf16); `cold` times each of them cold
    /// (``ColdRotation``).
    package static func gpu(_ device: GPUDevice, precisions: [ComputePrecision], cold: Bool = false) throws -> [any SpMMCandidate] {
        var list: [any SpMMCandidate] = []
        let sparse = try CUSPARSEHandle(context: device.context, stream: device.stream)
        for precision in precisions {
            for algorithm in CUSPARSESpMMAlgorithm.allCases {
                list.append(CuSPARSECandidate(device: device, handle: sparse, precision: precision, algorithm: algorithm, cold: cold))
            }
        }
        for precision in precisions where precision == .fp16 || precision == .bf16 {
            list.append(CuSPARSELtCandidate(device: device, precision: precision, cold: cold))
        }
        let blas = try CUBLASHandle(context: device.context, stream: device.stream)
        var dense: [GemmPrecision] = []
        if precisions.contains(.fp32) { dense += [.float32, .tf32, .float16] }
        if precisions.contains(.fp16), !dense.contains(.float16) { dense.append(.float16) }
        if precisions.contains(.bf16) { dense.append(.bfloat16) }
        for precision in dense { list.append(CuBLASCandidate(device: device, handle: blas, precision: precision, cold: cold)) }
        return list
    }

    /// On the CPU: dense sgemm on W with its zeros (OpenBLAS, or Sparrow's Swift GEMM when it
    /// cannot be loaded), a plain CSR loop and, where Python has scipy (`withScipy`), scipy's
    /// `csr_matrix @ ndarray`; `note` hears why scipy is not run.
    package static func cpu(withScipy: Bool, note: (String) -> Void) -> [any SpMMCandidate] {
        var list: [any SpMMCandidate] = [DenseGEMMCandidate(), NaiveCSRCandidate()]
        guard withScipy else { return list }
        switch ScipyCandidate.start() {
        case let .success(scipy): list.append(scipy)
        case let .failure(reason): note("scipy baseline not run: \(reason)")
        }
        return list
    }
}
