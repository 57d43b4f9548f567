#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Timing helpers for CPU benchmarks: a monotonic clock and repeated runs.
package enum CPUBenchmark {
    /// Seconds on the monotonic clock (`clock_gettime(CLOCK_MONOTONIC)`).
    @inline(__always)
    package static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Runs `body` `warmup` times untimed, then `iterations` times, and returns each timed
    /// run's duration in seconds.
    package static func time(iterations: Int, warmup: Int = 3, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        var times: [Double] = []
        times.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = now()
            body()
            times.append(now() - start)
        }
        return times
    }

    /// Like ``time(iterations:warmup:_:)`` but repeats until `minimumSeconds` have been timed
    /// (at least `iterations` runs), so microsecond problems get enough samples.
    package static func time(iterations: Int, warmup: Int = 3, minimumSeconds: Double, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        var times: [Double] = []
        let begin = now()
        while times.count < iterations || now() - begin < minimumSeconds {
            let start = now()
            body()
            times.append(now() - start)
        }
        return times
    }
}
