// Rules every thread block obeys, whatever the kernel: checked in this order by each family's
// `validate(for:)`, so a config breaking several rules reports the same one as before the split.
enum BlockRules {
    /// Subwarp (lanes that share a row) sizes every family supports: each divides the warp.
    static let subwarpSizes = [4, 8, 16, 32]
    /// Registers a thread may use when a kernel has no `__launch_bounds__`.
    static let maxRegistersPerThread = 255

    /// The subwarp divides the warp, and the block has at least one row.
    static func checkSubwarpAndRows(subwarpSize: Int, rowsPerBlock: Int, device: DeviceLimits) throws(ConfigError) {
        guard subwarpSizes.contains(subwarpSize), subwarpSize <= device.warpSize else {
            throw .unsupportedSubwarpSize(subwarpSize)
        }
        guard rowsPerBlock >= 1 else { throw .nonPositive(field: "rowsPerBlock", value: rowsPerBlock) }
    }

    /// Whole warps, within the device's limit.
    static func checkThreads(_ threads: Int, device: DeviceLimits) throws(ConfigError) {
        guard threads % device.warpSize == 0 else {
            throw .threadsNotWarpMultiple(threads: threads, warpSize: device.warpSize)
        }
        guard threads <= device.maxThreadsPerBlock else {
            throw .tooManyThreads(threads: threads, limit: device.maxThreadsPerBlock)
        }
    }

    /// A kernel without `__launch_bounds__` may use 255 registers a thread: the block must fit
    /// the register file at that rate.
    static func checkRegisterFile(threads: Int, device: DeviceLimits) throws(ConfigError) {
        let limit = device.registersPerMultiprocessor / maxRegistersPerThread / device.warpSize * device.warpSize
        guard threads <= limit else { throw .registerFileExceeded(threads: threads, limit: limit) }
    }

    /// `gridDim.y` within the device's limit.
    static func checkGrid(_ grid: LaunchDimensions, device: DeviceLimits) throws(ConfigError) {
        guard grid.y <= device.maxGridY else {
            throw .gridTooLarge(dimension: "y", blocks: grid.y, limit: device.maxGridY)
        }
    }
}
