import Runtime
import CPUKernels
import Foundation
import SparseFormats

extension BenchSetup {
    /// On the CPU: Sparrow's SIMD SpMM against dense sgemm (OpenBLAS), a plain CSR loop and,
    /// where Python has scipy, scipy's CSR @ dense, all in this process and run.
    package static func cpu(note: (String) -> Void) -> BenchSetup {
        let candidates: [any SpMMCandidate] = [SparrowCPUCandidate()] + Baselines.cpu(withScipy: true, note: note)
        let info = CPUReport.probe(measure: true)
        let ceilings = MachineCeilings(
            peakFlops: info.sgemmGFLOPS * 1e9, bandwidthBytesPerSecond: (info.cpu.copyBandwidth ?? 30e9),
            source: "peak: measured \(info.gemm) on 2048^3; bandwidth: measured large copy (read + write)")
        return BenchSetup(
            deviceName: "cpu: \(info.summary)", ceilings: ceilings, candidates: candidates,
            timingMethod: "a run is one call timed with the monotonic clock")
    }
}

/// What `sparrow doctor` says about the CPU backend.
package struct CPUReport: Codable, Sendable {
    package var cpu: CPUInfo
    /// The dense GEMM backend (OpenBLAS and its threads, or Sparrow's Swift GEMM).
    package var gemm: String
    package var gemmLoadFailures: [String]
    /// Measured sgemm rate on 2048 x 2048 x 2048, in GFLOP/s (0 when not measured).
    package var sgemmGFLOPS: Double
    /// Whether CPUKernels was compiled with FMA (SPARROW_CPU_TARGET).
    package var vectorBuild: String

    package static func probe(measure: Bool) -> CPUReport {
        let cpu = CPUInfo.current(measureBandwidth: measure)
        let gemm = DenseGEMM.shared
        var rate = 0.0
        if measure {
            let n = 2048
            let a = [Float](repeating: 0.5, count: n * n)
            var c = [Float](repeating: 0, count: n * n)
            let times = a.withUnsafeBufferPointer { ab in
                c.withUnsafeMutableBufferPointer { cb in
                    CPUBenchmark.time(iterations: 3, warmup: 1) {
                        gemm.sgemm(m: n, n: n, k: n, a: ab.baseAddress!, lda: n, b: ab.baseAddress!, ldb: n, c: cb.baseAddress!, ldc: n)
                    }
                }
            }
            rate = 2 * Double(n * n * n) / Statistics.median(times) / 1e9
        }
        return CPUReport(cpu: cpu, gemm: gemm.backend.description, gemmLoadFailures: gemm.loadFailures, sgemmGFLOPS: rate,
                         vectorBuild: cpu.compiledWithFMA ? "FMA build (SPARROW_CPU_TARGET set at build time)" : "portable x86-64 build (SSE2; set SPARROW_CPU_TARGET=native for AVX2/AVX-512)")
    }

    package var summary: String {
        var s = "\(cpu.modelName), \(cpu.cores) cores, \(vectorBuild); dense GEMM: \(gemm)"
        if sgemmGFLOPS > 0 { s += String(format: " (%.0f GFLOP/s)", sgemmGFLOPS) }
        if let bw = cpu.copyBandwidth { s += String(format: "; copy bandwidth %.1f GB/s", bw / 1e9) }
        return s
    }
}
