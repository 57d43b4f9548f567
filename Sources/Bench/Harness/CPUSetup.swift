import Runtime
import CPUKernels
import Foundation
import SparseFormats

extension BenchSetup {
    /// On the CPU: Sparrow's SIMD SpMM (CSR, and BSR for block-sparse matrices) against dense sgemm
    /// (OpenBLAS), a plain CSR loop and, where Python has scipy, scipy's CSR @ dense, all in this
    /// process and run; with `rowOrders`, Sparrow's CSR plan again with its rows in each order
    /// (the A/B of the row-order knob), timed in the order listed: after the plan in row order
    /// unless `identity` is listed too, which then takes its place in the list (so an A/B can be
    /// run both ways round). `note` hears each probe before it runs.
    package static func cpu(rowOrders: [RowOrdering] = [], note: (String) -> Void) throws -> BenchSetup {
        if let problem = CPUISA.environmentProblem { throw BenchSetupError(problem.description) }
        let plans = (rowOrders.contains(.identity) ? rowOrders : [.identity] + rowOrders).reduce(into: [RowOrdering]()) { list, order in
            if !list.contains(order) { list.append(order) }
        }
        let candidates: [any SpMMCandidate] = plans.map { SparrowCPUCandidate(rowOrdering: $0) } + [SparrowCPUCandidate(blocked: true)]
            + Baselines.cpu(withScipy: true, note: note)
        let info = CPUReport.probe(measure: true, note: note)
        return BenchSetup(
            deviceName: "cpu: \(info.summary)", ceilings: info.ceilings, candidates: candidates,
            timingMethod: "a run is one call timed with the monotonic clock")
    }
}

/// What `sparrow doctor` says about the CPU backend, and the ceilings of the CPU floor.
package struct CPUReport: Codable, Sendable {
    package var cpu: CPUInfo
    /// The dense GEMM backend (OpenBLAS and its threads, or Sparrow's Swift GEMM).
    package var gemm: String
    package var gemmLoadFailures: [String]
    /// Why the loaded OpenBLAS runs kernels older than this CPU allows, and the fix (taken when
    /// probed, so a report read back says what held on the machine that wrote it).
    package var gemmWarning: String?
    /// The peak from the instruction set, cores and clock (never measured).
    package var peak: CPUPeak
    /// OpenBLAS's sgemm rate on 1024 x 1024 x 1024 in GFLOP/s (best of 3 after one warm-up);
    /// nil when not measured or when no BLAS library is loaded: Sparrow's own Swift GEMM is
    /// never timed for a ceiling, since its speed says nothing about the machine.
    package var sgemmGFLOPS: Double?
    /// The FMA rate every core reached at once on the kernels' path (``CPUFMAProbe``), in GFLOP/s;
    /// nil when not measured.
    package var fmaGFLOPS: Double?
    /// The SpMM kernels' instruction-set path and how it was picked.
    package var kernelPath: String

    /// Reads the CPU's description; with `measure`, also times one bounded memory copy
    /// (``CPUBandwidthProbe``) and, when OpenBLAS is loaded, its sgemm at 1024^3.
    package static func probe(measure: Bool, note: (String) -> Void = { _ in }) -> CPUReport {
        var cpu = CPUInfo.current(measureBandwidth: false)
        let gemm = DenseGEMM.shared
        var rate: Double?
        var fma: Double?
        if measure {
            let probe = CPUBandwidthProbe()
            note("measuring memory bandwidth for the floor: \(probe.repeats) copies of \(probe.bytes >> 20) MiB")
            cpu.copyBandwidth = probe.measure()
            if case .blas = gemm.backend {
                note("timing OpenBLAS sgemm at 1024^3 for the CPU peak")
                rate = sgemmRate(gemm, size: 1024)
            }
            note("timing the FMA peak on every core (\(cpu.kernelPath) path)")
            fma = CPUFMAProbe.measure(isa: cpu.kernelPath) / 1e9
        }
        return CPUReport(
            cpu: cpu, gemm: gemm.backend.description, gemmLoadFailures: gemm.loadFailures, gemmWarning: gemm.outdatedKernelsWarning,
            peak: CPUPeak.current(cores: cpu.cores), sgemmGFLOPS: rate, fmaGFLOPS: fma,
            kernelPath: kernelPathDescription(cpu))
    }

    /// "SpMM kernels: AVX-512 path (run-time dispatch; this CPU runs avx512 avx2 portable)", or
    /// forced by `SPARROW_CPU_ISA`, or why that variable was ignored.
    static func kernelPathDescription(_ cpu: CPUInfo) -> String {
        let supported = CPUISA.supported.map(\.rawValue).joined(separator: " ")
        let how: String
        if let problem = CPUISA.environmentProblem {
            how = "run-time dispatch; \(problem)"
        } else if (try? CPUISA.forced()).flatMap({ $0 }) != nil {
            how = "forced by \(CPUISA.environmentVariable)"
        } else {
            how = "run-time dispatch"
        }
        return "SpMM kernels: \(cpu.kernelPath) path (\(how); this CPU runs \(supported))"
    }

    /// GFLOP/s of `gemm` on `size`^3: best of 3 timed runs after one warm-up.
    static func sgemmRate(_ gemm: DenseGEMM, size n: Int) -> Double {
        let a = [Float](repeating: 0.5, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        let times = a.withUnsafeBufferPointer { ab in
            c.withUnsafeMutableBufferPointer { cb -> [Double] in
                guard let pa = ab.baseAddress, let pc = cb.baseAddress else { return [] }
                return CPUBenchmark.time(iterations: 3, warmup: 1) {
                    gemm.sgemm(m: n, n: n, k: n, a: pa, lda: n, b: pa, ldb: n, c: pc, ldc: n)
                }
            }
        }
        return 2 * Double(n * n * n) / (times.min() ?? .infinity) / 1e9
    }

    /// The CPU floor's ceilings: the largest of the instruction-set peak, OpenBLAS's measured rate
    /// and the FMA probe's (a clock the machine hides, as in a virtual machine, can make the first
    /// too low), and the measured copy bandwidth.
    package var ceilings: MachineCeilings {
        let blas = (sgemmGFLOPS ?? 0) * 1e9
        var source = "peak: \(peak.description)"
        if let sgemmGFLOPS {
            source += String(format: "; OpenBLAS sgemm 1024^3 measured %.0f GFLOP/s", sgemmGFLOPS)
            source += blas > peak.flopsPerSecond ? " (above the estimate, so it is the peak used)" : ""
        }
        let fma = (fmaGFLOPS ?? 0) * 1e9
        if let fmaGFLOPS {
            source += String(format: "; FMA chains on every core measured %.0f GFLOP/s", fmaGFLOPS)
            source += fma > max(peak.flopsPerSecond, blas) ? " (above the estimate, so it is the peak used: the clock runs faster than stated)" : ""
        }
        let bandwidth = cpu.copyBandwidth ?? 30e9
        source += cpu.copyBandwidth == nil
            ? "; bandwidth: not measured, 30 GB/s assumed"
            : String(format: "; bandwidth: %.1f GB/s, the best large memcpy (read + write)", bandwidth / 1e9)
                + "; operands that fit in cache can beat it, so a floor fraction above 100% means a cache-resident problem"
        return MachineCeilings(peakFlops: max(peak.flopsPerSecond, blas, fma), bandwidthBytesPerSecond: bandwidth, source: source)
    }

    package var summary: String {
        var s = "\(cpu.modelName), \(cpu.cores) cores, \(kernelPath); dense GEMM: \(gemm)"
        if let sgemmGFLOPS { s += String(format: " (%.0f GFLOP/s)", sgemmGFLOPS) }
        s += String(format: "; peak %.0f GFLOP/s", peak.flopsPerSecond / 1e9) + " (\(peak.isa))"
        if let fmaGFLOPS { s += String(format: ", %.0f GFLOP/s measured", fmaGFLOPS) }
        if let bw = cpu.copyBandwidth { s += String(format: "; copy bandwidth %.1f GB/s", bw / 1e9) }
        if let gemmWarning { s += "; warning: \(gemmWarning)" }
        return s
    }
}
