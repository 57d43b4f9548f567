import CUDA
import Testing

@testable import Bench

/// The CUDA plumbing checks `sparrow selftest` runs: all skipped, each with its reason, where no
/// GPU works; all passing where one does.
@Suite("CUDA checks")
struct CUDAChecksTests {
    @Test func checksSkipWithoutAGPUAndPassWithOne() {
        let results = CUDAChecks.run()
        if let reason = CUDAEnvironment.gpuUnavailableReason {
            #expect(results.allSatisfy { $0.status == .skipped && !$0.detail.isEmpty }, "\(reason)")
            return
        }
        #expect(results.count >= 8)
        for result in results { #expect(result.status != .failed, "\(result.name): \(result.detail)") }
        #expect(results.first { $0.name == "axpy launch" }?.status == .passed)
        #expect(results.first { $0.name == "cuBLAS gemm" }?.status == .passed)
    }
}
