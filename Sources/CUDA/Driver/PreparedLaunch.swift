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

    /// Binds a launch. Above 48 KB of dynamic shared memory, opts the function in first.
    /// - Throws: ``CUDAError/invalidArgument(_:)`` for an empty grid or block.
    package init(
        function: CUDAFunction, grid: Dim3, block: Dim3, dynamicSharedBytes: Int = 0,
        stream: CUDAStream? = nil, arguments: [KernelArgument]
    ) throws {
        guard grid.volume > 0, block.volume > 0 else {
            throw CUDAError.invalidArgument("launch of \(function.name) with grid \(grid) block \(block)")
        }
        guard dynamicSharedBytes >= 0, dynamicSharedBytes <= Int(UInt32.max) else {
            throw CUDAError.invalidArgument("dynamic shared memory \(dynamicSharedBytes) bytes")
        }
        if dynamicSharedBytes > 48 * 1024 {
            try function.allowDynamicSharedMemory(dynamicSharedBytes)
        }
        self.function = function
        self.grid = grid
        self.block = block
        self.dynamicSharedBytes = dynamicSharedBytes
        self.stream = stream
        self.arguments = PackedKernelArguments(arguments)
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
        let result = driver.cuLaunchKernel(
            function.handle, grid.x, grid.y, grid.z, block.x, block.y, block.z,
            UInt32(dynamicSharedBytes), (stream ?? self.stream)?.handle, arguments.kernelParams, nil)
        if result != 0 {
            try driver.check(result, "cuLaunchKernel(\(function.name), grid \(grid), block \(block), smem \(dynamicSharedBytes))")
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
