/// A CUDA stream (`cuStreamCreate`), destroyed on deinit.
package final class CUDAStream: @unchecked Sendable {
    // @unchecked: immutable after init; streams may be used from any thread.
    package let context: CUDAContext
    let handle: CUHandle

    /// Creates a stream; `nonBlocking` (CU_STREAM_NON_BLOCKING) does not synchronise with the
    /// legacy default stream.
    package init(context: CUDAContext, nonBlocking: Bool = true) throws {
        try context.makeCurrent()
        var handle: CUHandle? = nil
        try context.driver.check(context.driver.cuStreamCreate(&handle, nonBlocking ? 1 : 0), "cuStreamCreate")
        guard let handle else { throw CUDAError.driver(call: "cuStreamCreate", code: 0, name: "null stream") }
        self.context = context
        self.handle = handle
    }

    deinit {
        _ = context.driver.cuCtxSetCurrent(context.context)
        _ = context.driver.cuStreamDestroy(handle)
    }

    /// Waits until all work queued on the stream is done.
    package func synchronize() throws {
        try context.makeCurrent()
        try context.driver.check(context.driver.cuStreamSynchronize(handle), "cuStreamSynchronize")
    }
}

/// A CUDA event with timing (`cuEventCreate` with default flags), destroyed on deinit.
package final class CUDAEvent: @unchecked Sendable {
    // @unchecked: immutable after init.
    package let context: CUDAContext
    let handle: CUHandle

    package init(context: CUDAContext) throws {
        try context.makeCurrent()
        var handle: CUHandle? = nil
        try context.driver.check(context.driver.cuEventCreate(&handle, 0), "cuEventCreate")
        guard let handle else { throw CUDAError.driver(call: "cuEventCreate", code: 0, name: "null event") }
        self.context = context
        self.handle = handle
    }

    deinit {
        _ = context.driver.cuCtxSetCurrent(context.context)
        _ = context.driver.cuEventDestroy(handle)
    }

    /// Records the event on `stream` (nil: the legacy default stream).
    package func record(on stream: CUDAStream? = nil) throws {
        try context.makeCurrent()
        try context.driver.check(context.driver.cuEventRecord(handle, stream?.handle), "cuEventRecord")
    }

    /// Waits until the event has completed.
    package func synchronize() throws {
        try context.makeCurrent()
        try context.driver.check(context.driver.cuEventSynchronize(handle), "cuEventSynchronize")
    }

    /// Milliseconds from `start` to this event; both must have completed (synchronize first).
    package func elapsedMilliseconds(since start: CUDAEvent) throws -> Float {
        try context.makeCurrent()
        var milliseconds: Float = 0
        try context.driver.check(context.driver.cuEventElapsedTime(&milliseconds, start.handle, handle),
                                 "cuEventElapsedTime")
        return milliseconds
    }
}
