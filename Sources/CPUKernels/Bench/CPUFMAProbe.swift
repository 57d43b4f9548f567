import CPUKernelsC

/// Measures the CPU's real single-precision peak: every thread of the pool runs independent
/// vector FMA chains (CPUKernelsC's `sparrow_fma_probe`) on `isa`'s registers at once, and the
/// flops over the wall time is the rate the cores really reach, boost clock and all (a virtual
/// machine reports only its nominal clock, so the estimate from /proc/cpuinfo can be low).
package enum CPUFMAProbe {
    /// Best FLOP/s of `repeats` runs of `iterations` rounds per thread (16 FMAs of `isa.lanes`
    /// lanes each, 2 flops per lane): 27-53 ms each at the default on a 3 GHz core with one or two
    /// FMA units.
    package static func measure(
        isa: CPUISA = .automatic, iterations: Int = 10_000_000, repeats: Int = 3, pool: CPUWorkerPool = .shared
    ) -> Double {
        let threads = pool.threadCount
        let flopsPerThread = Double(iterations) * 16 * Double(isa.lanes) * 2
        var best = 0.0
        for _ in 0..<repeats {
            let start = CPUBenchmark.now()
            pool.run(items: threads) { _ in
                // The result only keeps the chains alive; its value does not matter.
                _ = sparrow_fma_probe(isa.cValue, Int64(iterations))
            }
            let seconds = CPUBenchmark.now() - start
            if seconds > 0 { best = max(best, flopsPerThread * Double(threads) / seconds) }
        }
        return best
    }
}
