/// Grid or block dimensions.
package struct Dim3: Hashable, Codable, Sendable, CustomStringConvertible {
    package var x: UInt32
    package var y: UInt32
    package var z: UInt32

    package init(_ x: Int, _ y: Int = 1, _ z: Int = 1) {
        precondition(x >= 0 && y >= 0 && z >= 0 && x <= Int(UInt32.max) && y <= Int(UInt32.max)
                     && z <= Int(UInt32.max), "Dim3(\(x), \(y), \(z)) out of range")
        self.x = UInt32(x)
        self.y = UInt32(y)
        self.z = UInt32(z)
    }

    /// Product of the three dimensions.
    package var volume: Int { Int(x) * Int(y) * Int(z) }
    package var description: String { "(\(x), \(y), \(z))" }
}

/// A kernel launch with everything bound once (function, grid, block, dynamic shared memory,
/// stream, packed arguments), so that launching again costs one `cuCtxSetCurrent` (a
/// thread-local store) and one `cuLaunchKernel`. Kernels here take microseconds, so this
/// host overhead matters.
package final class PreparedLaunch: @unchecked Sendable {
    // @unchecked: immutable apart from the arguments' `update`, documented there.
    package let function: CUDAFunction
    package let grid: Dim3
    package let block: Dim3
    package let dynamicSharedBytes: Int
    package let stream: CUDAStream?
    package let arguments: PackedKernelArguments
    /// Launched with programmatic stream serialization (programmatic dependent launch, sm_90):
    /// the kernel may start while the previous one on the stream is finishing, and must wait
    /// (`griddepcontrol.wait`) before it reads what that one wrote.
    package let dependent: Bool
    /// Launched cooperatively (CU_LAUNCH_ATTRIBUTE_COOPERATIVE): every block of the grid is
    /// resident at once, or the launch fails (CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE) instead of
    /// hanging a kernel whose blocks wait for each other (grid barriers).
    package let cooperative: Bool

    /// Binds a launch. Above the function's dynamic shared memory limit (48 KB less its static
    /// shared memory until raised), opts the function in first.
    /// `dependent`: a programmatic dependent launch (``dependent``); `cooperative`: a cooperative
    /// one (``cooperative``); either goes through `cuLaunchKernelEx`, and not both.
    /// - Throws: ``CUDAError/invalidArgument(_:)`` for an empty grid or block, or both kinds;
    ///   ``CUDAError/unsupported(_:)`` for either kind on a driver without `cuLaunchKernelEx`.
    package init(
        function: CUDAFunction, grid: Dim3, block: Dim3, dynamicSharedBytes: Int = 0,
        stream: CUDAStream? = nil, arguments: [KernelArgument], dependent: Bool = false, cooperative: Bool = false
    ) throws {
        guard !(dependent && cooperative) else {
            throw CUDAError.invalidArgument("launch of \(function.name): dependent and cooperative at once")
        }
        guard !(dependent || cooperative) || function.context.driver.cuLaunchKernelEx != nil else {
            throw CUDAError.unsupported("cuLaunchKernelEx (\(dependent ? "programmatic dependent" : "cooperative") launch)")
        }
        guard grid.volume > 0, block.volume > 0 else {
            throw CUDAError.invalidArgument("launch of \(function.name) with grid \(grid) block \(block)")
        }
        guard dynamicSharedBytes >= 0, dynamicSharedBytes <= Int(UInt32.max) else {
            throw CUDAError.invalidArgument("dynamic shared memory \(dynamicSharedBytes) bytes")
        }
        // The default limit is 48 KB less the kernel's static shared memory (so a kernel with a static
        // table can need the opt-in below 48 KB of dynamic memory); above it, opt in.
        if dynamicSharedBytes > 0, dynamicSharedBytes > (try function.attribute(.maxDynamicSharedSizeBytes)) {
            try function.allowDynamicSharedMemory(dynamicSharedBytes)
        }
        self.function = function
        self.grid = grid
        self.block = block
        self.dynamicSharedBytes = dynamicSharedBytes
        self.stream = stream
        self.arguments = PackedKernelArguments(arguments)
        self.dependent = dependent
        self.cooperative = cooperative
    }

    /// Queues one launch on the bound stream (or `stream` when given, e.g. a capturing one).
    @inline(__always)
    package func launch(on stream: CUDAStream? = nil) throws {
        let context = function.context
        let driver = context.driver
        try driver.check(driver.cuCtxSetCurrent(context.context), "cuCtxSetCurrent")
        try launchWithoutContextSwitch(on: stream)
    }

    /// Queues `count` launches back to back, making the context current once.
    package func launch(times count: Int, on stream: CUDAStream? = nil) throws {
        try function.context.makeCurrent()
        for _ in 0..<max(count, 0) { try launchWithoutContextSwitch(on: stream) }
    }

    @inline(__always)
    func launchWithoutContextSwitch(on stream: CUDAStream?) throws {
        let driver = function.context.driver
        if dependent || cooperative {
            try launchWithAttribute(on: stream)
            return
        }
        let result = driver.cuLaunchKernel(
            function.handle, grid.x, grid.y, grid.z, block.x, block.y, block.z,
            UInt32(dynamicSharedBytes), (stream ?? self.stream)?.handle, arguments.kernelParams, nil)
        if result != 0 {
            try driver.check(result, "cuLaunchKernel(\(function.name), grid \(grid), block \(block), smem \(dynamicSharedBytes))")
        }
    }
}

extension PreparedLaunch {
    /// `cuLaunchKernelEx` with one attribute set to 1: CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION
    /// (6) for a dependent launch, CU_LAUNCH_ATTRIBUTE_COOPERATIVE (2) for a cooperative one. Layouts
    /// from cuda.h (CUDA 12 and 13): CUlaunchConfig is 7 unsigned ints (grid, block, shared bytes;
    /// 28 bytes, padded to 32), the stream at 32, the attribute pointer at 40, the attribute count
    /// (unsigned) at 48: 56 bytes. CUlaunchAttribute is the id (an enum, 4 bytes, padded to 8) and a
    /// 64-byte value union whose first int is the flag (`programmaticStreamSerializationAllowed`,
    /// `cooperative`): 72 bytes.
    func launchWithAttribute(on stream: CUDAStream?) throws {
        let driver = function.context.driver
        guard let launchEx = driver.cuLaunchKernelEx else { throw CUDAError.unsupported("cuLaunchKernelEx") }
        let attributeID: UInt32 = cooperative ? 2 : 6
        let result = withUnsafeTemporaryAllocation(byteCount: 56 + 72, alignment: 8) { raw -> CUResult in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            guard let base = raw.baseAddress else { return 1 }  // CUDA_ERROR_INVALID_VALUE; 128 bytes were asked for
            let attribute = base + 56
            attribute.storeBytes(of: attributeID, as: UInt32.self)
            attribute.storeBytes(of: Int32(1), toByteOffset: 8, as: Int32.self)
            for (index, value) in [grid.x, grid.y, grid.z, block.x, block.y, block.z, UInt32(dynamicSharedBytes)].enumerated() {
                base.storeBytes(of: value, toByteOffset: 4 * index, as: UInt32.self)
            }
            base.storeBytes(of: (stream ?? self.stream)?.handle, toByteOffset: 32, as: CUHandle?.self)
            base.storeBytes(of: UnsafeMutableRawPointer(attribute), toByteOffset: 40, as: UnsafeMutableRawPointer.self)
            base.storeBytes(of: UInt32(1), toByteOffset: 48, as: UInt32.self)
            return launchEx(UnsafeRawPointer(base), function.handle, arguments.kernelParams, nil)
        }
        if result != 0 {
            let kind = cooperative ? "cooperative" : "programmatic"
            try driver.check(result, "cuLaunchKernelEx(\(function.name), \(kind), grid \(grid), block \(block), smem \(dynamicSharedBytes))")
        }
    }
}

extension CUDAFunction {
    /// Launches once and returns; for one-off launches (tests, set-up kernels).
    package func launch(
        grid: Dim3, block: Dim3, dynamicSharedBytes: Int = 0, stream: CUDAStream? = nil,
        arguments: [KernelArgument]
    ) throws {
        try PreparedLaunch(function: self, grid: grid, block: block, dynamicSharedBytes: dynamicSharedBytes,
                           stream: stream, arguments: arguments).launch()
    }
}
