/// Device memory holding `count` values of `T`, freed on deinit.
///
/// A zero-count buffer allocates nothing and has address 0 (`cuMemAlloc` rejects 0 bytes).
package final class DeviceBuffer<T: BitwiseCopyable>: @unchecked Sendable {
    // @unchecked: the address and count are immutable; device memory is not Swift memory.
    package let context: CUDAContext
    /// Number of elements.
    package let count: Int
    /// The device address (`CUdeviceptr`), for kernel arguments.
    package let address: UInt64

    /// Size in bytes.
    package var byteCount: Int { count * MemoryLayout<T>.stride }

    /// Allocates uninitialised memory for `count` elements.
    package init(context: CUDAContext, count: Int) throws {
        guard count >= 0 else { throw CUDAError.invalidArgument("DeviceBuffer count \(count) < 0") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow else { throw CUDAError.invalidArgument("DeviceBuffer of \(count) x \(T.self) overflows") }
        self.context = context
        self.count = count
        if bytes == 0 {
            address = 0
            return
        }
        try context.makeCurrent()
        var pointer: UInt64 = 0
        try context.driver.check(context.driver.cuMemAlloc(&pointer, bytes), "cuMemAlloc(\(bytes) bytes)")
        address = pointer
    }

    /// Allocates and uploads `values`.
    package convenience init(context: CUDAContext, copying values: [T]) throws {
        try self.init(context: context, count: values.count)
        try upload(values)
    }

    deinit {
        if address != 0 {
            _ = context.driver.cuCtxSetCurrent(context.context)
            _ = context.driver.cuMemFree(address)
        }
    }

    /// Copies `values` (exactly `count` of them) to the device, synchronously.
    package func upload(_ values: [T]) throws {
        guard values.count == count else {
            throw CUDAError.invalidArgument("upload of \(values.count) values into a buffer of \(count)")
        }
        guard byteCount > 0 else { return }
        try context.makeCurrent()
        try values.withUnsafeBytes { bytes in
            try context.driver.check(context.driver.cuMemcpyHtoD(address, bytes.baseAddress, byteCount),
                                     "cuMemcpyHtoD(\(byteCount) bytes)")
        }
    }

    /// Copies the buffer, or the elements of `range`, to the host, synchronously.
    package func download(_ range: Range<Int>? = nil) throws -> [T] {
        let range = range ?? 0..<count
        guard range.lowerBound >= 0, range.upperBound <= count else {
            throw CUDAError.invalidArgument("download of elements \(range) from a buffer of \(count)")
        }
        let stride = MemoryLayout<T>.stride, bytes = range.count * stride
        guard bytes > 0 else { return [] }
        try context.makeCurrent()
        return try [T](unsafeUninitializedCapacity: range.count) { storage, initialized in
            try context.driver.check(
                context.driver.cuMemcpyDtoH(UnsafeMutableRawPointer(storage.baseAddress), address + UInt64(range.lowerBound * stride), bytes),
                "cuMemcpyDtoH(\(bytes) bytes)")
            initialized = range.count
        }
    }

    /// Copies all of `source` (same count) into this buffer on the device.
    package func copy(from source: DeviceBuffer<T>) throws {
        guard source.count == count else {
            throw CUDAError.invalidArgument("device copy of \(source.count) values into \(count)")
        }
        guard byteCount > 0 else { return }
        try context.makeCurrent()
        try context.driver.check(context.driver.cuMemcpyDtoD(address, source.address, byteCount), "cuMemcpyDtoD")
    }

    /// A new buffer holding a device-to-device copy of this one.
    package func duplicate() throws -> DeviceBuffer<T> {
        let copy = try DeviceBuffer<T>(context: context, count: count)
        try copy.copy(from: self)
        return copy
    }

    /// Copies `source` into this buffer on `stream` (ordered with the stream's other work).
    package func copyAsync(from source: DeviceBuffer<T>, stream: CUDAStream) throws {
        guard source.count == count else {
            throw CUDAError.invalidArgument("device copy of \(source.count) values into \(count)")
        }
        guard byteCount > 0 else { return }
        try context.makeCurrent()
        try context.driver.check(
            context.driver.cuMemcpyDtoDAsync(address, source.address, byteCount, stream.handle), "cuMemcpyDtoDAsync")
    }

    /// Sets every byte to `byte` (on `stream` when given, else synchronously).
    package func fillBytes(_ byte: UInt8, stream: CUDAStream? = nil) throws {
        guard byteCount > 0 else { return }
        try context.makeCurrent()
        if let stream {
            try context.driver.check(context.driver.cuMemsetD8Async(address, byte, byteCount, stream.handle),
                                     "cuMemsetD8Async")
        } else {
            try context.driver.check(context.driver.cuMemsetD8(address, byte, byteCount), "cuMemsetD8")
        }
    }

    /// Sets every 32-bit word to `word` (e.g. 0x7FC00000, a Float NaN, to poison outputs);
    /// the byte count must be a multiple of 4.
    package func fillWords(_ word: UInt32, stream: CUDAStream? = nil) throws {
        guard byteCount % 4 == 0 else {
            throw CUDAError.invalidArgument("fillWords on \(byteCount) bytes, not a multiple of 4")
        }
        guard byteCount > 0 else { return }
        try context.makeCurrent()
        if let stream {
            try context.driver.check(context.driver.cuMemsetD32Async(address, word, byteCount / 4, stream.handle),
                                     "cuMemsetD32Async")
        } else {
            try context.driver.check(context.driver.cuMemsetD32(address, word, byteCount / 4), "cuMemsetD32")
        }
    }
}
