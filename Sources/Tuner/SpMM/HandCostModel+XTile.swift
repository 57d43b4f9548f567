import KernelGen

extension HandCostModel {
    /// ``estimatedNanoseconds(_:for:)`` for the X-tiled kernel; see the header.
    func xTileEstimatedNanoseconds(_ config: XTileConfig, for problem: SpMMProblem) -> Double {
        let device = problem.device
        let sms = Double(device.multiprocessorCount)
        let type = problem.elementType
        let elementBytes = Double(type.byteWidth)
        let nnz = Double(problem.nnz), m = Double(problem.m), n = Double(problem.n), k = Double(problem.k)
        let tile = Double(config.tileWidth), subwarp = Double(config.subwarpSize)
        let grid = config.gridDimensions(for: problem)
        let tiles = Double(grid.y), blocks = Double(grid.x * grid.y)

        // Occupancy: threads, registers (accumulators + two groups of four column/value pairs),
        // shared memory.
        let registers = 40 + config.vectorsPerThread * config.vectorWidth + 16
        var blocksPerSM = min(32, problem.residentThreadsPerSM / config.threadsPerBlock)
        blocksPerSM = min(blocksPerSM, device.registersPerMultiprocessor / (registers * config.threadsPerBlock))
        blocksPerSM = min(blocksPerSM, device.maxSharedMemoryPerBlockOptIn / max(1, config.sharedMemoryBytes(for: problem)))
        blocksPerSM = max(1, blocksPerSM)
        let waves = max(1, blocks / (sms * Double(blocksPerSM)))

        // Latency: a block walks its chunks one after another.
        let chunks = max(1, (k / Double(config.chunkSize)).rounded(.up))
        let staging = config.doubleBuffered ? 0.25 * Model.latency : Model.latency
        let perChunk = max(1, problem.meanRowLength / chunks)
        let longestPerChunk = max(1, Double(problem.maxRowLength) / chunks)
        let walk = { (length: Double) in Model.sharedLatency * (length / 2).rounded(.up) }
        let chain = { (length: Double) in
            Model.latency * 2 + chunks * (staging + 2 * Model.barrier + walk(length))
        }
        // Blocks wait for their slowest row at every barrier: a chunk costs its longest row.
        let latency = max(waves * chain(min(longestPerChunk, 2 * perChunk)), chain(longestPerChunk))

        // Load/store unit: shared reads (one per FMA, more with bank conflicts), staging
        // (a global read and a shared write, or one cp.async), W group loads and Y stores.
        let conflict = config.rowPad(type) > 0 ? 1.5 : 1
        let staged = blocks * k * tile * elementBytes
        var lsuBytes = nnz * tiles * tile * elementBytes * conflict + staged * (config.doubleBuffered ? 1 : 2)
        lsuBytes += nnz * tiles * (4 + elementBytes) + n * m * elementBytes
        // L2: the staged chunks, W once per column tile, Y.
        let l2Bytes = staged + nnz * tiles * (4 + elementBytes) + n * m * elementBytes
        // Instructions: per nonzero and subwarp, a shared load and `width` FMAs per vector plus
        // the predicate and cursor; per staged vector, the copy and its address math.
        let vectors = Double(config.vectorsPerThread), width = Double(config.vectorWidth)
        var instructions = nnz * tiles * (subwarp / 32) * (vectors * (1 + width) + 6)
        instructions += staged / (width * elementBytes) / 32 * 6
        // Throughput terms over the SMs that hold a block: a grid smaller than the device leaves
        // the rest idle (xTile grids are ceil(n / R) x ceil(m / T), often few blocks).
        let busy = min(sms, blocks)
        return Self.combine([
            latency, lsuBytes / (busy * Model.bytesPerSMPerNs), l2Bytes / (busy * Model.l2BytesPerSMPerNs),
            instructions / (busy * Model.instructionsPerSMPerNs),
        ])
    }
}
