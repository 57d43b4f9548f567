/// An executable CUDA graph captured from a stream (`cuStreamBeginCapture` ...
/// `cuGraphInstantiate`), so that N launches cost one `cuGraphLaunch`.
package final class CUDAGraph: @unchecked Sendable {
    // @unchecked: immutable after init.
    package let context: CUDAContext
    let graph: CUHandle
    let executable: CUHandle

    /// Captures the work `body` queues on `stream` (a created stream, not the legacy default).
    package init(capturing stream: CUDAStream, _ body: () throws -> Void) throws {
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
    package func launch(on stream: CUDAStream) throws {
        guard let launch = context.driver.cuGraphLaunch else { throw CUDAError.unsupported("cuGraphLaunch") }
        try context.makeCurrent()
        try context.driver.check(launch(executable, stream.handle), "cuGraphLaunch")
    }
}
