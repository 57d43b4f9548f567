/// One kernel parameter, by value, as the kernel's C signature declares it.
package enum KernelArgument: Hashable, Sendable {
    case int32(Int32)
    case uint32(UInt32)
    case int64(Int64)
    case uint64(UInt64)
    case float32(Float)
    case float64(Double)
    /// A device address (`T*` in the kernel).
    case pointer(UInt64)

    /// The device address of `buffer`.
    package static func buffer<T>(_ buffer: DeviceBuffer<T>) -> KernelArgument { .pointer(buffer.address) }

    /// Size in bytes, which is also its alignment for these scalar types.
    package var size: Int {
        switch self {
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64, .pointer: 8
        }
    }

    func store(to destination: UnsafeMutableRawPointer) {
        switch self {
        case .int32(let v): destination.storeBytes(of: v, as: Int32.self)
        case .uint32(let v): destination.storeBytes(of: v, as: UInt32.self)
        case .int64(let v): destination.storeBytes(of: v, as: Int64.self)
        case .uint64(let v), .pointer(let v): destination.storeBytes(of: v, as: UInt64.self)
        case .float32(let v): destination.storeBytes(of: v, as: Float.self)
        case .float64(let v): destination.storeBytes(of: v, as: Double.self)
        }
    }
}

/// The `void**` array `cuLaunchKernel` takes, with storage for the values it points to.
///
/// Values live in one block, each at an offset aligned to its size; `pointers[i]` is the
/// address of value `i`. The storage lives as long as this object, so a prepared launch can
/// hand the same array to the driver many times.
package final class PackedKernelArguments: @unchecked Sendable {
    // @unchecked: the storage is written in init and by `update`, which callers must not race
    // with a launch (documented on `update`).
    /// The arguments, in parameter order.
    package private(set) var arguments: [KernelArgument]
    /// Byte offset of each argument inside the storage.
    package let offsets: [Int]
    /// Total bytes of value storage.
    package let storageSize: Int
    let storage: UnsafeMutableRawPointer
    let pointers: UnsafeMutablePointer<UnsafeMutableRawPointer?>

    package init(_ arguments: [KernelArgument]) {
        var offsets: [Int] = []
        var end = 0
        for argument in arguments {
            let aligned = (end + argument.size - 1) / argument.size * argument.size
            offsets.append(aligned)
            end = aligned + argument.size
        }
        self.arguments = arguments
        self.offsets = offsets
        storageSize = end
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(end, 8), alignment: 16)
        pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(arguments.count, 1))
        for (index, argument) in arguments.enumerated() {
            argument.store(to: storage + offsets[index])
            pointers[index] = storage + offsets[index]
        }
    }

    deinit {
        storage.deallocate()
        pointers.deallocate()
    }

    /// Replaces argument `index` with a value of the same kind (e.g. another buffer address).
    /// Not thread-safe with respect to a launch of the same arguments on another thread.
    package func update(_ index: Int, to argument: KernelArgument) {
        precondition(arguments.indices.contains(index), "argument \(index) of \(arguments.count)")
        precondition(argument.size == arguments[index].size, "argument \(index) changes size")
        arguments[index] = argument
        argument.store(to: storage + offsets[index])
    }

    /// The raw bytes of argument `index`, read back through the pointer array (for tests).
    package func bytes(of index: Int) -> [UInt8] {
        precondition(arguments.indices.contains(index), "argument \(index) of \(arguments.count)")
        guard let pointer = pointers[index] else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: arguments[index].size))
    }

    /// The `void**` to hand to `cuLaunchKernel`.
    var kernelParams: UnsafeMutablePointer<UnsafeMutableRawPointer?> { pointers }
}
