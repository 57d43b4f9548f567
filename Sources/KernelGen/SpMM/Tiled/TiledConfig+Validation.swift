extension TiledConfig {
    /// Subwarp sizes the kernel supports.
    package static let subwarpSizes = BlockRules.subwarpSizes
    /// Row splits the kernel supports.
    package static let rowSplits = [1, 2, 4, 8, 16]
    /// Unrolls the kernel supports (0: automatic).
    package static let unrolls = [0, 1, 2, 4, 8]
    /// Dense vector widths in elements; at most 16 bytes of the element type are legal.
    package static let vectorWidths = DenseTileRules.vectorWidths
    /// Most float accumulators one thread may hold (tileWidth / subwarpSize).
    package static let maxAccumulatorsPerThread = DenseTileRules.maxAccumulatorsPerThread

    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        let device = problem.device
        let type = problem.elementType
        try BlockRules.checkSubwarpAndRows(subwarpSize: subwarpSize, rowsPerBlock: rowsPerBlock, device: device)
        guard rowSplit >= 1 else { throw .nonPositive(field: "rowSplit", value: rowSplit) }
        guard Self.rowSplits.contains(rowSplit) else { throw .unsupportedRowSplit(rowSplit) }
        try BlockRules.checkThreads(threadsPerBlock, device: device)
        // Above 256 threads the kernel declares __launch_bounds__(threads, 1024 / threads):
        // ptxas keeps each thread within 64 registers, so a big block must leave room for the
        // accumulators (at 256 threads and below there are no bounds and the budget is 255).
        let budget = registerBudget(device)
        guard estimatedRegisters <= budget else {
            throw .registerBudgetExceeded(threads: threadsPerBlock, budget: budget, needed: estimatedRegisters)
        }
        try DenseTileRules.check(
            vectorWidth: vectorWidth, tileWidth: tileWidth, subwarpSize: subwarpSize, problem: problem)
        guard Self.unrolls.contains(unroll) else { throw .unsupportedUnroll(unroll) }
        guard chunkSize > 0, chunkSize % subwarpSize == 0 else {
            throw .chunkNotMultipleOfSubwarp(chunk: chunkSize, subwarpSize: subwarpSize)
        }
        if doubleBuffered {
            let capability = device.computeCapability
            guard capability >= ComputeCapability(major: 8, minor: 0) else { throw .asyncCopyNeedsSM80(capability) }
            let valueBytes = sparseVectorWidth * type.byteWidth
            guard valueBytes >= 4 else { throw .asyncCopyTooNarrow(bytes: valueBytes) }
        }
        let splitLimit = Self.maxRowSplit(maxRowLength: problem.maxRowLength, chunkSize: chunkSize)
        guard rowSplit <= splitLimit else {
            throw .rowSplitExceedsChunks(
                rowSplit: rowSplit, maxRowLength: problem.maxRowLength, chunkSize: chunkSize, limit: splitLimit)
        }
        let bytes = sharedMemoryBytes(for: problem)
        guard bytes <= device.maxSharedMemoryPerBlock else {
            throw .sharedMemoryExceeded(bytes: bytes, limit: device.maxSharedMemoryPerBlock)
        }
        try BlockRules.checkGrid(gridDimensions(for: problem), device: device)
    }

    /// The largest sensible row split: the chunk count of the longest row, at least 1.
    static func maxRowSplit(maxRowLength: Int, chunkSize: Int) -> Int {
        max(1, (maxRowLength + chunkSize - 1) / max(1, chunkSize))
    }
}
