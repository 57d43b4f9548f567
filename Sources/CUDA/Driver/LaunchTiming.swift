/// The one GPU timer: device-side timing with CUDA events, for Sparrow's kernels, every
/// baseline, the machine's ceilings and the self-checks alike.
///
/// Most DLMC problems run in a few microseconds, close to the cost of a launch and of the event
/// records around it. Each timed run is therefore the mean of a batch of back-to-back runs
/// between two events, the batch sized so a run lasts at least ``targetSeconds`` (at most
/// ``maxBatch`` runs); work that takes longer than that is timed one run per sample. This is the
/// throughput of repeated launches, as in inference, for ours and the baselines alike.
package enum LaunchTiming {
    /// Least device time one sample covers.
    package static let targetSeconds = 50e-6
    /// Most runs one sample averages.
    package static let maxBatch = 200

    /// Seconds per run of `work` (which queues GPU work on `stream`), one entry per sample,
    /// `iterations` samples after at least one untimed `warmup` run.
    package static func samples(
        stream: CUDAStream, warmup: Int, iterations: Int, _ work: () throws -> Void
    ) throws -> [Double] {
        guard iterations > 0 else { return [] }
        for _ in 0..<max(warmup, 1) { try work() }
        let batch = try batchSize(stream: stream, work)
        let events = try (0...iterations).map { _ in try CUDAEvent(context: stream.context) }
        try events[0].record(on: stream)
        for i in 1...iterations {
            for _ in 0..<batch { try work() }
            try events[i].record(on: stream)
        }
        try events[iterations].synchronize()
        return try (1...iterations).map {
            Double(try events[$0].elapsedMilliseconds(since: events[$0 - 1])) / 1e3 / Double(batch)
        }
    }

    /// ``samples(stream:warmup:iterations:_:)`` of work that rotates over `copies` copies of its
    /// operands (cold timing): `work(i)` queues the run on copy `i`, copies taken in turn.
    package static func rotatingSamples(
        stream: CUDAStream, copies: Int, warmup: Int, iterations: Int, _ work: (Int) throws -> Void
    ) throws -> [Double] {
        precondition(copies > 0, "LaunchTiming.rotatingSamples: no copy to run")
        var next = 0
        return try samples(stream: stream, warmup: warmup, iterations: iterations) {
            try work(next % copies)
            next += 1
        }
    }

    /// Runs per sample: enough that a sample lasts ``targetSeconds``, from 10 runs timed together.
    static func batchSize(stream: CUDAStream, _ work: () throws -> Void) throws -> Int {
        let start = try CUDAEvent(context: stream.context)
        let end = try CUDAEvent(context: stream.context)
        try start.record(on: stream)
        for _ in 0..<10 { try work() }
        try end.record(on: stream)
        try end.synchronize()
        let estimate = Double(try end.elapsedMilliseconds(since: start)) / 1e3 / 10
        return min(maxBatch, max(1, Int((targetSeconds / max(estimate, 1e-7)).rounded(.up))))
    }
}
