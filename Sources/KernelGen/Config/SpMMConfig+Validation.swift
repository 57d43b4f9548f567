/// Three integers: a CUDA grid or block shape.
public struct LaunchDimensions: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var z: Int

    public init(x: Int, y: Int = 1, z: Int = 1) {
        self.x = x
        self.y = y
        self.z = z
    }

    public var description: String { "(\(x),\(y),\(z))" }
}

extension SpMMConfig {
    /// Subwarp sizes the kernels support.
    public static let subwarpSizes = [4, 8, 16, 32]
    /// Most float accumulators one thread may hold (tileWidth / subwarpSize).
    public static let maxAccumulatorsPerThread = 32
    /// Unrolls the tiled kernel supports (0: automatic).
    public static let unrolls = [0, 1, 2, 4, 8]
    /// Row splits the tiled kernel supports.
    public static let rowSplits = [1, 2, 4, 8, 16]
    /// Registers a thread may use when a kernel has no `__launch_bounds__`.
    public static let maxRegistersPerThread = 255

    /// Checks every rule that makes this config unable to run `problem` on `problem.device`,
    /// throwing the first one broken.
    public func validate(for problem: SpMMProblem) throws(ConfigError) {
        let device = problem.device
        guard Self.subwarpSizes.contains(subwarpSize), subwarpSize <= device.warpSize else {
            throw .unsupportedSubwarpSize(subwarpSize)
        }
        guard rowsPerBlock >= 1 else { throw .nonPositive(field: "rowsPerBlock", value: rowsPerBlock) }
        guard rowSplit >= 1 else { throw .nonPositive(field: "rowSplit", value: rowSplit) }
        guard Self.rowSplits.contains(rowSplit) else { throw .unsupportedRowSplit(rowSplit) }
        guard threadsPerBlock % device.warpSize == 0 else {
            throw .threadsNotWarpMultiple(threads: threadsPerBlock, warpSize: device.warpSize)
        }
        guard threadsPerBlock <= device.maxThreadsPerBlock else {
            throw .tooManyThreads(threads: threadsPerBlock, limit: device.maxThreadsPerBlock)
        }
        if variant == .tiled {
            // Above 256 threads the tiled kernel declares __launch_bounds__(threads, 1024 / threads):
            // ptxas keeps each thread within 64 registers, so a big block must leave room for the
            // accumulators (at 256 threads and below there are no bounds and the budget is 255).
            let budget = registerBudget(device)
            let needed = estimatedRegisters
            guard needed <= budget else {
                throw .registerBudgetExceeded(threads: threadsPerBlock, budget: budget, needed: needed)
            }
        } else {
            let registerLimit = device.registersPerMultiprocessor / Self.maxRegistersPerThread / device.warpSize * device.warpSize
            guard threadsPerBlock <= registerLimit else {
                throw .registerFileExceeded(threads: threadsPerBlock, limit: registerLimit)
            }
        }
        switch variant {
        case .simpleCSR: try validateSimple()
        case .tiled: try validateTiled(for: problem)
        case .xTile: try validateXTile(for: problem)
        }
        let bytes = sharedMemoryBytes(for: problem)
        if variant == .xTile {
            // The launcher opts in above 48 KiB (PreparedLaunch); X chunks are worth the space.
            guard bytes <= device.maxSharedMemoryPerBlockOptIn else {
                throw .sharedMemoryExceedsOptIn(bytes: bytes, limit: device.maxSharedMemoryPerBlockOptIn)
            }
        } else {
            guard bytes <= device.maxSharedMemoryPerBlock else {
                throw .sharedMemoryExceeded(bytes: bytes, limit: device.maxSharedMemoryPerBlock)
            }
        }
        let grid = gridDimensions(for: problem)
        guard grid.y <= device.maxGridY else {
            throw .gridTooLarge(dimension: "y", blocks: grid.y, limit: device.maxGridY)
        }
    }

    private func validateSimple() throws(ConfigError) {
        let neutral: [(String, Int, Int)] = [
            ("tileWidth", tileWidth, subwarpSize), ("vectorWidth", vectorWidth, 1),
            ("chunkSize", chunkSize, 0), ("doubleBuffered", doubleBuffered ? 1 : 0, 0), ("rowSplit", rowSplit, 1),
            ("unroll", unroll, 0),
        ]
        for (field, value, expected) in neutral where value != expected {
            throw .fieldNotUsedBySimpleCSR(field: field, value: value, expected: expected)
        }
    }

    /// The dense side shared by tiled and xTile: vector width, alignment, tile, accumulators.
    private func validateDenseTile(for problem: SpMMProblem) throws(ConfigError) {
        let type = problem.elementType
        guard [1, 2, 4, 8].contains(vectorWidth), vectorWidth * type.byteWidth <= 16 else {
            throw .unsupportedVectorWidth(width: vectorWidth, elementType: type)
        }
        guard problem.m % vectorWidth == 0 else { throw .vectorWidthMisaligned(width: vectorWidth, m: problem.m) }
        guard tileWidth > 0, tileWidth % (vectorWidth * subwarpSize) == 0 else {
            throw .tileNotMultiple(tile: tileWidth, vectorWidth: vectorWidth, subwarpSize: subwarpSize)
        }
        let accumulators = tileWidth / subwarpSize
        guard accumulators <= Self.maxAccumulatorsPerThread else {
            throw .tooManyAccumulators(perThread: accumulators, limit: Self.maxAccumulatorsPerThread)
        }
    }

    private func validateXTile(for problem: SpMMProblem) throws(ConfigError) {
        guard rowSplit == 1 else { throw .fieldNotUsedByXTile(field: "rowSplit", value: rowSplit, expected: 1) }
        guard unroll == 0 else { throw .fieldNotUsedByXTile(field: "unroll", value: unroll, expected: 0) }
        try validateDenseTile(for: problem)
        guard chunkSize >= 1 else { throw .nonPositive(field: "chunkSize", value: chunkSize) }
        if doubleBuffered {
            let capability = problem.device.computeCapability
            guard capability >= ComputeCapability(major: 8, minor: 0) else { throw .asyncCopyNeedsSM80(capability) }
            let bytes = vectorWidth * problem.elementType.byteWidth
            guard bytes >= 4 else { throw .xTileAsyncCopyTooNarrow(bytes: bytes) }
        }
    }

    private func validateTiled(for problem: SpMMProblem) throws(ConfigError) {
        let type = problem.elementType
        try validateDenseTile(for: problem)
        guard Self.unrolls.contains(unroll) else { throw .unsupportedUnroll(unroll) }
        guard chunkSize > 0, chunkSize % subwarpSize == 0 else {
            throw .chunkNotMultipleOfSubwarp(chunk: chunkSize, subwarpSize: subwarpSize)
        }
        if doubleBuffered {
            let capability = problem.device.computeCapability
            guard capability >= ComputeCapability(major: 8, minor: 0) else { throw .asyncCopyNeedsSM80(capability) }
            let valueBytes = sparseVectorWidth * type.byteWidth
            guard valueBytes >= 4 else { throw .asyncCopyTooNarrow(bytes: valueBytes) }
        }
        let splitLimit = Self.maxRowSplit(maxRowLength: problem.maxRowLength, chunkSize: chunkSize)
        guard rowSplit <= splitLimit else {
            throw .rowSplitExceedsChunks(
                rowSplit: rowSplit, maxRowLength: problem.maxRowLength, chunkSize: chunkSize, limit: splitLimit)
        }
    }

    /// Blocks per SM the tiled kernel's `__launch_bounds__` asks for above 256 threads: enough for
    /// 1024 resident threads (2 of 512, 1 of 1024); 1 otherwise (no bounds).
    public var minimumBlocksPerSM: Int { threadsPerBlock > 256 ? max(1, 1024 / threadsPerBlock) : 1 }

    /// Registers per thread the tiled kernel's `__launch_bounds__(threads, blocks)` leaves: the
    /// register file over the resident threads, in ptxas's allocation unit of 8, at most 255.
    func registerBudget(_ device: DeviceLimits) -> Int {
        let threads = max(1, threadsPerBlock * minimumBlocksPerSM)
        return min(Self.maxRegistersPerThread, device.registersPerMultiprocessor / threads / 8 * 8)
    }

    /// Registers a tiled thread needs without spilling, roughly: 24 for addresses, loop state and
    /// staging, plus the accumulators and the X values of `macUnroll` nonzeros in flight. Only
    /// the 64-register budget of wide blocks depends on it: the wide configs it admits compiled
    /// to 43-64 registers without spills (CI corpus, NVRTC 13). It underestimates unrolled
    /// 256-thread configs (96 estimated, 126 used by `r2.t32.c256.v4.k32.db1.u8`), whose budget is 255.
    var estimatedRegisters: Int {
        let accumulators = vectorsPerThread * vectorWidth
        return 24 + accumulators * (1 + macUnroll)
    }

    /// The largest sensible row split: the chunk count of the longest row, at least 1.
    static func maxRowSplit(maxRowLength: Int, chunkSize: Int) -> Int {
        max(1, (maxRowLength + chunkSize - 1) / max(1, chunkSize))
    }

    /// Shared memory buffers per subwarp (2 when double buffered).
    var stagingBuffers: Int { doubleBuffered ? 2 : 1 }

    /// Elements between consecutive subwarps' staging areas: the buffers plus `subwarpSize`
    /// elements of padding, so the subwarps of one warp reading the same chunk offset hit
    /// different shared memory banks (their areas start `subwarpSize` words apart modulo 32).
    /// The padding is a multiple of 4 elements, which keeps every vector store aligned.
    var stagingStride: Int { stagingBuffers * chunkSize + subwarpSize }

    /// Byte offset of the values region in dynamic shared memory: after every subwarp's
    /// column indices, rounded up to 16 bytes so vector stores and `cp.async` stay aligned.
    var valuesOffset: Int { (subwarpsPerBlock * stagingStride * 4 + 15) / 16 * 16 }

    /// Byte offset of the split reduction buffer: after every subwarp's values, 16-byte aligned.
    func reductionOffset(for problem: SpMMProblem) -> Int {
        (valuesOffset + subwarpsPerBlock * stagingStride * problem.elementType.byteWidth + 15) / 16 * 16
    }

    /// Bytes of the split reduction buffer: fp32 partial tiles `[rowsPerBlock][rowSplit - 1][tileWidth]`
    /// (segment 0 keeps its partial in registers and sums the others); 0 without a split.
    public var reductionBytes: Int { variant == .tiled ? rowsPerBlock * (rowSplit - 1) * tileWidth * 4 : 0 }

    /// Dynamic shared memory per block: each subwarp stages `chunkSize` indices and values per
    /// buffer; with a row split, the partial tiles follow.
    public func sharedMemoryBytes(for problem: SpMMProblem) -> Int {
        if variant == .xTile { return xTileSharedMemoryBytes(problem.elementType) }
        guard variant == .tiled else { return 0 }
        let staging = valuesOffset + subwarpsPerBlock * stagingStride * problem.elementType.byteWidth
        return rowSplit > 1 ? reductionOffset(for: problem) + reductionBytes : staging
    }

    /// Block shape: `x` runs over a row's subwarp (or the columns of simpleCSR), `y` over rows,
    /// `z` over the segments of a split row.
    public var blockDimensions: LaunchDimensions { LaunchDimensions(x: subwarpSize, y: rowsPerBlock, z: rowSplit) }

    /// Grid shape. Tiled and xTile: `x` over groups of `rowsPerBlock` row slots, `y` over column tiles.
    /// SimpleCSR: `x` over groups of `subwarpSize` columns, `y` over groups of rows.
    public func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        func blocks(_ count: Int, _ per: Int) -> Int { per > 0 ? (count + per - 1) / per : 0 }
        switch variant {
        case .tiled, .xTile:
            return LaunchDimensions(x: blocks(problem.n, rowsPerBlock), y: blocks(problem.m, tileWidth))
        case .simpleCSR:
            return LaunchDimensions(x: blocks(problem.m, subwarpSize), y: blocks(problem.n, rowsPerBlock))
        }
    }
}
