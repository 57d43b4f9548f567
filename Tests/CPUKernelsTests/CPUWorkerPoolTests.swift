import Foundation
import Synchronization
import SparseFormats
import Testing
@testable import CPUKernels

@Suite struct CPUWorkerPoolTests {
    @Test(arguments: [1, 2, 3, 5])
    func everyItemRunsOnce(threads: Int) {
        let pool = CPUWorkerPool(threads: threads)
        for items in [0, 1, 2, 7, 100, 1000] {
            let counts = Mutex([Int](repeating: 0, count: items))
            // Repeat so workers are found spinning, yielding and asleep.
            for round in 0..<3 {
                pool.run(items: items) { i in counts.withLock { $0[i] += 1 } }
                #expect(counts.withLock { $0.allSatisfy { $0 == round + 1 } }, "items \(items)")
                if round == 1 { usleep(50_000) }
            }
        }
    }

    @Test func nestedAndConcurrentCallsRunInline() {
        let pool = CPUWorkerPool(threads: 2)
        let total = Atomic<Int>(0)
        pool.run(items: 4) { _ in
            pool.run(items: 10) { _ in total.add(1, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 40)
        let sum = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<50 { pool.run(items: 16) { sum.add($0, ordering: .relaxed) } }
        }
        #expect(sum.load(ordering: .relaxed) == 8 * 50 * (0..<16).reduce(0, +))
    }

    @Test func maxThreadsOneStaysOnTheCaller() {
        let pool = CPUWorkerPool(threads: 3)
        let caller = Thread.current
        let elsewhere = Atomic<Int>(0)
        pool.run(items: 50, maxThreads: 1) { _ in if Thread.current != caller { elsewhere.add(1, ordering: .relaxed) } }
        #expect(elsewhere.load(ordering: .relaxed) == 0)
    }

    @Test func benchmarkClockAndInfo() {
        let times = CPUBenchmark.time(iterations: 5, warmup: 1) { usleep(1000) }
        #expect(times.count == 5 && times.allSatisfy { $0 >= 0.0009 && $0 < 1 })
        #expect(Statistics.median([3, 1, 2]) == 2 && Statistics.median([4, 1, 2, 3]) == 2.5)
        #expect(Statistics.median([]).isNaN)
        let info = CPUInfo.current()
        #expect(info.cores >= 1 && !info.modelName.isEmpty)
        #if os(Linux) && arch(x86_64)
        #expect(info.flags.contains("sse2"))
        #endif
        let bandwidth = CPUInfo.measureCopyBandwidth(bytes: 8 << 20, repeats: 2)
        #expect(bandwidth > 1e8 && bandwidth.isFinite)
    }
}
