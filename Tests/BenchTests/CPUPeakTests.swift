import Foundation
import Testing
@testable import Bench
import CPUKernels

/// The CPU floor's peak comes from the hardware's description, never from timing a build.
@Suite("CPU peak and ceilings")
struct CPUPeakTests {
    func cpuinfo(vendor: String = "AuthenticAMD", family: Int, model: Int = 2, flags: String, mhz: [String] = ["2596.124"],
                 name: String = "AMD EPYC") -> String {
        mhz.enumerated().map { index, value in
            "processor\t: \(index)\nvendor_id\t: \(vendor)\ncpu family\t: \(family)\nmodel\t\t: \(model)\n"
                + "model name\t: \(name)\ncpu MHz\t\t: \(value)\nflags\t\t: \(flags)\n"
        }.joined(separator: "\n")
    }

    #if arch(x86_64)
    @Test func zen5CountsTwoFullWidthFMAUnitsAtTheFastestCoresClock() {
        let text = cpuinfo(family: 26, flags: "fpu sse2 avx fma avx2 avx512f avx512bw", mhz: ["2596.124", "2700.0"])
        let peak = CPUPeak.estimate(cpuinfo: text, maxFrequencyKHz: nil, cores: 2)
        #expect(peak.isa == "AVX-512" && peak.lanes == 16 && peak.fmaUnits == 2)
        #expect(peak.clockHz == 2.7e9 && peak.clockSource == "/proc/cpuinfo cpu MHz")
        #expect(abs(peak.flopsPerSecond - 16 * 2 * 2 * 2 * 2.7e9) < 1)
        #expect(peak.description.contains("= 346 GFLOP/s"))
    }

    @Test func olderCoresAndSysfsBoostClock() {
        let zen4 = CPUPeak.estimate(cpuinfo: cpuinfo(family: 25, flags: "avx2 fma avx512f"), maxFrequencyKHz: "3700000\n", cores: 4)
        #expect(zen4.fmaUnits == 1 && zen4.clockHz == 3.7e9 && zen4.clockSource == "sysfs cpuinfo_max_freq")
        let zen1 = CPUPeak.estimate(cpuinfo: cpuinfo(family: 23, model: 1, flags: "avx avx2 fma"), maxFrequencyKHz: nil, cores: 1)
        #expect(zen1.isa == "AVX2+FMA" && zen1.fmaUnits == 1)
        let intel = CPUPeak.estimate(
            cpuinfo: cpuinfo(vendor: "GenuineIntel", family: 6, flags: "avx avx2 fma", mhz: ["1200.0"], name: "Intel(R) Xeon(R) @ 2.20GHz"),
            maxFrequencyKHz: nil, cores: 1)
        #expect(intel.fmaUnits == 2 && intel.clockHz == 2.2e9 && intel.clockSource == "model name")
        #expect(CPUPeak.estimate(cpuinfo: cpuinfo(family: 6, flags: "sse2"), maxFrequencyKHz: nil, cores: 1).lanes == 4)
    }
    #endif

    @Test func anUnknownClockIsAnUpperBound() {
        let peak = CPUPeak.estimate(cpuinfo: "", maxFrequencyKHz: nil, cores: 3)
        #expect(peak.clockHz == 5e9 && peak.clockSource.contains("upper bound") && peak.cores == 3)
    }

    @Test func ceilingsTakeTheLargerOfEstimateAndOpenBLASAndSayWhere() {
        let peak = CPUPeak(isa: "AVX2+FMA", lanes: 8, fmaUnits: 2, cores: 1, clockHz: 1e9, clockSource: "test")
        var report = CPUReport(
            cpu: CPUInfo.current(), gemm: "test", gemmLoadFailures: [], peak: peak, sgemmGFLOPS: nil, fmaGFLOPS: nil, kernelPath: "test")
        report.cpu.copyBandwidth = 20e9
        #expect(report.ceilings.peakFlops == 32e9)
        #expect(report.ceilings.source.contains("peak: AVX2+FMA") && !report.ceilings.source.contains("OpenBLAS"))
        #expect(report.ceilings.source.contains("20.0 GB/s"))
        report.sgemmGFLOPS = 40
        #expect(report.ceilings.peakFlops == 40e9, "a measured rate above the estimate means the estimate was low")
        #expect(report.ceilings.source.contains("OpenBLAS sgemm 1024^3 measured 40 GFLOP/s (above the estimate"))
        // The OpenBLAS warning is the report's own (taken when probed), not the reading machine's.
        #expect(!report.summary.contains("warning:"))
        report.gemmWarning = "OpenBLAS runs its Prescott kernels"
        #expect(report.summary.hasSuffix("; warning: OpenBLAS runs its Prescott kernels"))
    }

    @Test func bandwidthProbeIsBounded() {
        let probe = CPUBandwidthProbe(lastLevelCacheBytes: 32 << 20)
        #expect(probe.bytes == 128 << 20 && probe.repeats == 3)
        #expect(CPUBandwidthProbe(lastLevelCacheBytes: nil).bytes == 64 << 20)
        #expect(CPUBandwidthProbe(lastLevelCacheBytes: 1 << 30).bytes == 512 << 20)
        let small = CPUBandwidthProbe(lastLevelCacheBytes: nil, repeats: 1)
        let rate = small.measure(pool: CPUWorkerPool(threads: 1))
        #expect(rate.isFinite && rate > 0, "a rate, whatever it is: no test judges speed")
    }
}
