import Foundation

/// What the benchmark reports about the host CPU.
package struct CPUInfo: Sendable, Hashable, Codable {
    /// `model name` from /proc/cpuinfo ("unknown" elsewhere).
    package var modelName: String
    /// Online cores (what the worker pool uses).
    package var cores: Int
    /// Feature flags from /proc/cpuinfo (`avx2`, `fma`, `avx512f`, `avx512_bf16`, ...).
    package var flags: Set<String>
    /// The SpMM kernels' instruction-set path (picked at run time, or forced by `SPARROW_CPU_ISA`).
    package var kernelPath: CPUISA
    /// Read + write bytes per second of a large multithreaded copy, when measured.
    package var copyBandwidth: Double?

    package var hasAVX2: Bool { flags.contains("avx2") }
    package var hasFMA: Bool { flags.contains("fma") }
    package var hasAVX512F: Bool { flags.contains("avx512f") }
    package var hasAVX512BF16: Bool { flags.contains("avx512_bf16") }

    /// Reads /proc/cpuinfo; measures copy bandwidth when `measureBandwidth` (about 0.5 s).
    package static func current(measureBandwidth: Bool = false, pool: CPUWorkerPool = .shared) -> CPUInfo {
        var model = "unknown"
        var flags = Set<String>()
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let key = parts[0].trimmingCharacters(in: .whitespaces)
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if key == "model name", model == "unknown" { model = value }
                if key == "flags", flags.isEmpty { flags = Set(value.split(separator: " ").map(String.init)) }
            }
        }
        return CPUInfo(
            modelName: model, cores: CPUWorkerPool.onlineCores, flags: flags, kernelPath: .automatic,
            copyBandwidth: measureBandwidth ? measureCopyBandwidth(pool: pool) : nil)
    }

    /// Best read + write bytes per second over `repeats` copies of `bytes` (far larger than the
    /// last-level cache), split over the pool's threads, with SIMD16 loads and stores.
    package static func measureCopyBandwidth(bytes: Int = 256 << 20, repeats: Int = 5, pool: CPUWorkerPool = .shared) -> Double {
        let count = bytes / MemoryLayout<Float>.stride / 16 * 16
        let source = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let target = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer {
            source.deallocate()
            target.deallocate()
        }
        source.initialize(repeating: 1, count: count)
        target.initialize(repeating: 0, count: count)
        let pieces = pool.threadCount * 4
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = CPUBenchmark.now()
            pool.run(items: pieces) { piece in
                // Vectors lo..<hi of 16 floats each: all inside the count allocated above.
                let lo = count / 16 * piece / pieces, hi = count / 16 * (piece + 1) / pieces
                let s = UnsafeRawPointer(source), t = UnsafeMutableRawPointer(target)
                for v in lo..<hi {
                    t.storeBytes(of: s.loadUnaligned(fromByteOffset: v &* 64, as: SIMD16<Float>.self), toByteOffset: v &* 64, as: SIMD16<Float>.self)
                }
            }
            best = min(best, CPUBenchmark.now() - start)
        }
        return Double(2 * count * MemoryLayout<Float>.stride) / best
    }
}
