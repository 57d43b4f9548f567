#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPUKernels
import Foundation

/// Memory bandwidth for the CPU floor: the best of a few large copies split over the worker
/// pool, each piece copied by the C library's `memcpy`.
///
/// `memcpy` is the C library's optimised copy whatever Sparrow was built as, so a debug build
/// measures the memory, not Swift's unoptimised loops (which would make the floor too slow and
/// its fractions run past 100%). The buffers are a few times the last-level cache, and the
/// whole probe takes a fraction of a second.
package struct CPUBandwidthProbe: Sendable {
    /// Bytes per buffer (source and target each).
    package var bytes: Int
    package var repeats: Int

    /// Buffers of four times the last-level cache, at least 64 MiB and at most 512 MiB; 3 copies.
    package init(lastLevelCacheBytes: Int? = CPUBandwidthProbe.lastLevelCacheBytes(), repeats: Int = 3) {
        bytes = min(512 << 20, max(64 << 20, 4 * (lastLevelCacheBytes ?? 0)))
        self.repeats = repeats
    }

    /// Read + write bytes per second of the fastest copy.
    package func measure(pool: CPUWorkerPool = .shared) -> Double {
        guard let source = malloc(bytes), let target = malloc(bytes) else { return .nan }
        defer {
            free(source)
            free(target)
        }
        // Touch every page first, so the timed copies do not pay for page faults.
        memset(source, 1, bytes)
        memset(target, 0, bytes)
        let pieces = pool.threadCount * 4
        let size = bytes
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = CPUBenchmark.now()
            pool.run(items: pieces) { piece in
                // Byte ranges lo..<hi partition 0..<size: inside both allocations.
                let lo = size * piece / pieces, hi = size * (piece + 1) / pieces
                memcpy(target + lo, source + lo, hi - lo)
            }
            best = min(best, CPUBenchmark.now() - start)
        }
        return Double(2 * bytes) / best
    }

    /// The size of cpu0's highest-level cache from sysfs (`index3`, else `index2`), or nil.
    package static func lastLevelCacheBytes() -> Int? {
        for index in [3, 2] {
            let path = "/sys/devices/system/cpu/cpu0/cache/index\(index)/size"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let scale = value.hasSuffix("K") ? 1 << 10 : value.hasSuffix("M") ? 1 << 20 : 1
            if let number = Int(value.filter(\.isNumber)) { return number * scale }
        }
        return nil
    }
}
