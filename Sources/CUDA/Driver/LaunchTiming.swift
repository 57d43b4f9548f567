/// Device-side timing with CUDA events.
public enum LaunchTiming {
    /// Times `iterations` runs of `work` (which queues GPU work on `stream`) after `warmup`
    /// untimed runs, with one event between consecutive runs, and returns each run's time in
    /// milliseconds. Back-to-back runs keep the GPU busy, so launch gaps are not counted
    /// unless the host cannot keep up (then they are, honestly).
    public static func perRun(
        stream: CUDAStream, iterations: Int, warmup: Int = 3, _ work: () throws -> Void
    ) throws -> [Float] {
        guard iterations > 0 else { return [] }
        for _ in 0..<max(warmup, 0) { try work() }
        let events = try (0...iterations).map { _ in try CUDAEvent(context: stream.context) }
        try events[0].record(on: stream)
        for index in 1...iterations {
            try work()
            try events[index].record(on: stream)
        }
        try events[iterations].synchronize()
        return try (1...iterations).map { try events[$0].elapsedMilliseconds(since: events[$0 - 1]) }
    }

    /// Times `iterations` back-to-back runs between two events; returns milliseconds per run.
    public static func average(
        stream: CUDAStream, iterations: Int, warmup: Int = 3, _ work: () throws -> Void
    ) throws -> Float {
        guard iterations > 0 else { return 0 }
        for _ in 0..<max(warmup, 0) { try work() }
        let start = try CUDAEvent(context: stream.context)
        let end = try CUDAEvent(context: stream.context)
        try start.record(on: stream)
        for _ in 0..<iterations { try work() }
        try end.record(on: stream)
        try end.synchronize()
        return try end.elapsedMilliseconds(since: start) / Float(iterations)
    }

    /// Per-launch times of a prepared launch on `stream`.
    public static func perLaunch(
        _ launch: PreparedLaunch, stream: CUDAStream, iterations: Int, warmup: Int = 3
    ) throws -> [Float] {
        try perRun(stream: stream, iterations: iterations, warmup: warmup) { try launch.launch(on: stream) }
    }

    /// The median of `times` (mean of the middle two for an even count); nil when empty.
    public static func median(_ times: [Float]) -> Float? {
        guard !times.isEmpty else { return nil }
        let sorted = times.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// An executable CUDA graph captured from a stream (`cuStreamBeginCapture` ...
/// `cuGraphInstantiate`), so that N launches cost one `cuGraphLaunch`.
public final class CUDAGraph: @unchecked Sendable {
    // @unchecked: immutable after init.
    public let context: CUDAContext
    let graph: CUHandle
    let executable: CUHandle

    /// Captures the work `body` queues on `stream` (a created stream, not the legacy default).
    public init(capturing stream: CUDAStream, _ body: () throws -> Void) throws {
        let context = stream.context
        let driver = context.driver
        guard let begin = driver.cuStreamBeginCapture, let end = driver.cuStreamEndCapture,
              let instantiate = driver.cuGraphInstantiateWithFlags, driver.cuGraphLaunch != nil else {
            throw CUDAError.unsupported("this driver lacks the stream-capture graph API")
        }
        try context.makeCurrent()
        // CU_STREAM_CAPTURE_MODE_THREAD_LOCAL: other threads' unrelated calls stay legal.
        try driver.check(begin(stream.handle, 1), "cuStreamBeginCapture")
        var bodyError: (any Error)? = nil
        do { try body() } catch { bodyError = error }
        var graph: CUHandle? = nil
        let endResult = end(stream.handle, &graph)
        if let bodyError {
            if let graph { _ = driver.cuGraphDestroy?(graph) }
            throw bodyError
        }
        try driver.check(endResult, "cuStreamEndCapture")
        guard let graph else { throw CUDAError.driver(call: "cuStreamEndCapture", code: 0, name: "null graph") }
        var executable: CUHandle? = nil
        let instantiateResult = instantiate(&executable, graph, 0)
        guard instantiateResult == 0, let executable else {
            _ = driver.cuGraphDestroy?(graph)
            try driver.check(instantiateResult, "cuGraphInstantiateWithFlags")
            throw CUDAError.driver(call: "cuGraphInstantiateWithFlags", code: 0, name: "null executable")
        }
        self.context = context
        self.graph = graph
        self.executable = executable
    }

    deinit {
        _ = context.driver.cuCtxSetCurrent(context.context)
        _ = context.driver.cuGraphExecDestroy?(executable)
        _ = context.driver.cuGraphDestroy?(graph)
    }

    /// Queues the whole graph on `stream`.
    public func launch(on stream: CUDAStream) throws {
        guard let launch = context.driver.cuGraphLaunch else { throw CUDAError.unsupported("cuGraphLaunch") }
        try context.makeCurrent()
        try context.driver.check(launch(executable, stream.handle), "cuGraphLaunch")
    }
}
