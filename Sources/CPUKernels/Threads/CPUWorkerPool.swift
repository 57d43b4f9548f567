import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of worker threads for data-parallel loops of a few microseconds and up.
///
/// Created once (``shared`` uses every online core); `run(items:maxThreads:_:)` hands out item
/// indices through an atomic counter, and the calling thread works too, so a pool of `n`
/// threads owns `n - 1` workers. After a job the workers spin briefly, then yield, then sleep on
/// a condition variable: back-to-back calls (the layers of a network) find them awake, and an
/// idle pool costs nothing. A call allocates nothing.
///
/// One job runs at a time. A call made while the pool is busy (from another thread, or from
/// inside a job) runs its items on the calling thread instead of waiting.
package final class CPUWorkerPool: @unchecked Sendable {
    /// Threads that work on a job, the caller included.
    package let threadCount: Int
    private let state: PoolState

    /// The process-wide pool with one thread per online core.
    package static let shared = CPUWorkerPool(threads: CPUWorkerPool.onlineCores)

    /// Online cores (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    package static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// A pool of `threads` threads (the caller included); `threads <= 1` runs everything inline.
    package init(threads: Int) {
        threadCount = max(1, threads)
        state = PoolState(workers: threadCount - 1)
        for index in 0..<(threadCount - 1) {
            let state = self.state
            let thread = Thread { state.workerLoop(index: index) }
            thread.name = "sparrow-cpu-\(index + 1)"
            thread.start()
        }
    }

    deinit {
        state.stop.store(true, ordering: .sequentiallyConsistent)
        state.wakeAll()
    }

    /// Runs `body(i)` for every `i` in `0..<items`, on up to `maxThreads` threads (the caller
    /// included), and returns when all are done. Items are taken in increasing order.
    package func run(items: Int, maxThreads: Int? = nil, _ body: (Int) -> Void) {
        guard items > 0 else { return }
        let threads = min(threadCount, maxThreads ?? threadCount, items)
        guard threads > 1,
            state.busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for i in 0..<items { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            state.job = escapable
            state.itemCount = items
            state.participants = threads - 1
            state.nextItem.store(0, ordering: .relaxed)
            state.itemsDone.store(0, ordering: .relaxed)
            // Opens the job (publishing job, itemCount, participants to workers that enter it).
            state.generation += 1
            state.control.store(PoolState.open(state.generation), ordering: .sequentiallyConsistent)
            if state.sleepers.load(ordering: .sequentiallyConsistent) > 0 { state.wakeAll() }
            state.drain()
            // Wait for items, not for workers: a worker the OS has not scheduled yet must not
            // hold the caller up. Once every item is done the job is closed, so no worker can
            // enter it late, and the caller waits only for workers already inside.
            var spins = 0
            while state.itemsDone.load(ordering: .acquiring) < items {
                spins += 1
                if spins > 4096 { sched_yield() }
            }
            state.close()
            spins = 0
            while PoolState.active(state.control.load(ordering: .acquiring)) > 0 {
                spins += 1
                if spins > 4096 { sched_yield() }
            }
            state.job = nil
        }
        state.busy.store(false, ordering: .releasing)
    }
}

/// The shared state of a pool; workers hold it (not the pool), so the pool can be released.
final class PoolState: @unchecked Sendable {
    let workerCount: Int
    /// Generation (high 32 bits), open flag (bit 31), workers inside the job (low 31 bits).
    let control = Atomic<UInt64>(0)
    let nextItem = Atomic<Int>(0)
    let itemsDone = Atomic<Int>(0)
    let sleepers = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
    let busy = Atomic<Bool>(false)
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>
    // Written by the caller before `generation` is bumped, read by workers after they see the
    // bump, cleared by the caller after every worker has acknowledged: never raced.
    var job: ((Int) -> Void)?
    var itemCount = 0
    var participants = 0
    /// The caller's job counter (only the caller, holding `busy`, touches it).
    var generation: UInt64 = 0

    static let openBit: UInt64 = 1 << 31
    static func open(_ generation: UInt64) -> UInt64 { (generation & 0xFFFF_FFFF) << 32 | openBit }
    static func generationOf(_ control: UInt64) -> UInt64 { control >> 32 }
    static func active(_ control: UInt64) -> UInt64 { control & (openBit - 1) }

    /// Clears the open flag, keeping the count of workers inside.
    func close() {
        var current = control.load(ordering: .relaxed)
        while true {
            let (exchanged, original) = control.compareExchange(
                expected: current, desired: current & ~PoolState.openBit, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }

    /// Enters the job of `generation` if it is still open.
    func enter(_ generation: UInt64) -> Bool {
        var current = control.load(ordering: .acquiring)
        while PoolState.generationOf(current) == generation & 0xFFFF_FFFF, current & PoolState.openBit != 0 {
            let (exchanged, original) = control.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    init(workers: Int) {
        workerCount = workers
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    func wakeAll() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Takes items until none are left.
    @inline(never)
    func drain() {
        guard let job else { return }
        let count = itemCount
        while true {
            let i = nextItem.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= count { break }
            job(i)
            // Releasing: the caller's acquiring load of itemsDone sees this item's writes.
            itemsDone.add(1, ordering: .releasing)
        }
    }

    func workerLoop(index: Int) {
        var seen: UInt64 = 0
        while true {
            var spins = 0
            var current = PoolState.generationOf(control.load(ordering: .acquiring))
            while current == seen {
                if stop.load(ordering: .relaxed) { return }
                spins += 1
                if spins > 200_000 {
                    // Sleep. The seq-cst increment of `sleepers` followed by a reload of
                    // `control` pairs with the caller's store-then-check: one sees the other.
                    pthread_mutex_lock(mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    current = PoolState.generationOf(control.load(ordering: .sequentiallyConsistent))
                    while current == seen && !stop.load(ordering: .sequentiallyConsistent) {
                        pthread_cond_wait(condition, mutex)
                        current = PoolState.generationOf(control.load(ordering: .sequentiallyConsistent))
                    }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(mutex)
                    spins = 0
                    if stop.load(ordering: .relaxed) { return }
                } else if spins > 20_000 {
                    sched_yield()
                }
                current = PoolState.generationOf(control.load(ordering: .acquiring))
            }
            seen = current
            // A job that closed before this worker woke up is skipped entirely.
            if enter(current) {
                if index < participants { drain() }
                control.subtract(1, ordering: .releasing)
            }
        }
    }
}
