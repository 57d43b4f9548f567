import CUDA

extension CUSPARSESpMMAlgorithm {
    /// `default`, `alg1`, `alg2`, `alg3` as cuSPARSE's documentation names them.
    package var shortName: String {
        switch self {
        case .default: "default"
        case .csrAlg1: "alg1"
        case .csrAlg2: "alg2"
        case .csrAlg3: "alg3"
        }
    }
}

/// How every GPU candidate is timed, so all are timed alike.
///
/// Most DLMC problems run in a few microseconds, close to the cost of a launch and of
/// the event records around it. Each timed run is therefore the mean of a batch of
/// back-to-back launches between two events, the batch sized so a run lasts at least
/// `targetSeconds`; the median of `iterations` such runs is reported. This is the
/// throughput of repeated launches, as in inference, for ours and the baselines alike.
public enum GPUTiming {
    public static let targetSeconds = 50e-6
    public static let maxBatch = 200

    public static func samples(stream: CUDAStream, warmup: Int, iterations: Int, _ work: () throws -> Void) throws -> [Double] {
        guard iterations > 0 else { return [] }
        for _ in 0..<max(warmup, 1) { try work() }
        let estimate = Double(try LaunchTiming.average(stream: stream, iterations: 10, warmup: 0, work)) / 1e3
        let batch = min(maxBatch, max(1, Int((targetSeconds / max(estimate, 1e-7)).rounded(.up))))
        let events = try (0...iterations).map { _ in try CUDAEvent(context: stream.context) }
        try events[0].record(on: stream)
        for i in 1...iterations {
            for _ in 0..<batch { try work() }
            try events[i].record(on: stream)
        }
        try events[iterations].synchronize()
        return try (1...iterations).map { Double(try events[$0].elapsedMilliseconds(since: events[$0 - 1])) / 1e3 / Double(batch) }
    }
}
