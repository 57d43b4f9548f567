import SparseFormats

extension CompactConfig {
    /// Legality, in order: block shape (the kernel declares `__launch_bounds__` for its block, so
    /// the 255-register rule does not apply; the compile test checks spills), entry vector, unroll, split, blocks per SM, chunk, width of
    /// X, format limits, row order, shared memory, grid.
    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        let device = problem.device
        guard warps >= 1 else { throw .nonPositive(field: "warps", value: warps) }
        try BlockRules.checkThreads(threadsPerBlock, device: device)
        let type = problem.elementType
        guard Self.vectorWidths.contains(vectorWidth), vectorWidth * type.byteWidth <= 16 else {
            throw .unsupportedVectorWidth(width: vectorWidth, elementType: type)
        }
        guard Self.unrolls.contains(unroll) else { throw .unsupportedCompactKnob(field: "unroll", value: unroll, allowed: Self.unrolls) }
        guard Self.splits.contains(split) else { throw .unsupportedCompactKnob(field: "split", value: split, allowed: Self.splits) }
        guard format == .csr16 || split == 1 else { throw .compactDeltaSplit(split) }
        guard Self.blocksPerSMChoices.contains(blocksPerSM) else { throw .unsupportedCompactKnob(field: "blocksPerSM", value: blocksPerSM, allowed: Self.blocksPerSMChoices) }
        guard chunk >= Self.chunkMultiple, chunk % Self.chunkMultiple == 0 else {
            throw .compactChunkNotMultiple(chunk: chunk, multiple: Self.chunkMultiple)
        }
        guard problem.m <= Self.maxWidth else { throw .compactWidthTooLarge(m: problem.m, limit: Self.maxWidth) }
        if format == .csr16 {
            let panel = CSR16Matrix<Float>.panelWidth
            guard problem.k <= panel else { throw .compactColumnsExceedPanel(k: problem.k, panel: panel) }
        }
        guard problem.rowOrdering == .identity else { throw .compactNeedsIdentityRowOrder }
        if doubleBuffered, split != 1 || chunkCount(for: problem) != 1 {
            throw .compactDoubleBufferNeedsWholeRows(split: split, chunks: chunkCount(for: problem))
        }
        guard Self.ringChoices.contains(ringStages) else {
            throw .unsupportedCompactKnob(field: "ringStages", value: ringStages, allowed: Self.ringChoices)
        }
        if ringStages > 0 {
            // cp.async of a lane's 16-byte value vector and 4-byte nibble word: delta4, 8 entries of 2 bytes.
            guard doubleBuffered, format == .delta4, vectorWidth == 8, type.byteWidth == 2 else {
                throw .compactRingNeedsDelta4Vectors(format: format.rawValue, vectorWidth: vectorWidth, elementBytes: type.byteWidth, doubleBuffered: doubleBuffered)
            }
            guard device.computeCapability >= minimumComputeCapability else { throw .asyncCopyNeedsSM80(device.computeCapability) }
        }
        let budget = registerBudget(device)
        let needed = estimatedRegisters(problem)
        guard needed <= budget else { throw .registerBudgetExceeded(threads: threadsPerBlock, budget: budget, needed: needed) }
        let bytes = sharedMemoryBytes(for: problem)
        guard bytes <= device.maxSharedMemoryPerBlockOptIn else {
            throw .sharedMemoryExceedsOptIn(bytes: bytes, limit: device.maxSharedMemoryPerBlockOptIn)
        }
        try BlockRules.checkGrid(gridDimensions(for: problem), device: device)
    }
}

extension CompactConfig {
    /// Registers a thread may use: `__launch_bounds__(threads, blocksPerSM)` makes ptxas fit
    /// `blocksPerSM` blocks in the register file (at most 255).
    func registerBudget(_ device: DeviceLimits) -> Int {
        min(BlockRules.maxRegistersPerThread, device.registersPerMultiprocessor / max(1, threadsPerBlock * blocksPerSM) / 8 * 8)
    }

    /// Registers the kernel needs without spilling: 28 for addresses, loop state and the
    /// staged-row pointer, m accumulators, a column and a value per entry in flight (U x V), and
    /// for delta4 a running column per entry. Fitted to ptxas (CUDA 13 NVRTC, sm_80 and sm_90) on
    /// the compile test's sample at a 64-register budget: every kernel above it spilled (4-96 B),
    /// none at or below it did.
    /// Double-buffered, delta4 holds its rounds raw (a nibble word and the value vector's words
    /// per load: rawWords) and decodes a vector in a few registers (SWAR sums, no per-entry
    /// columns): two rounds, or one with a ring (plus its issue state). Fitted to ptxas (NVRTC 13.5,
    /// sm_90, m = 1 fp16): 40 / 48 / 72 registers at U = 1 / 2 / 4 with a ring, 40 / 56 at U = 1 / 2
    /// without; the compile test checks spills for the rest.
    func estimatedRegisters(_ problem: SpMMProblem) -> Int {
        if doubleBuffered, format == .delta4 {
            let rawWords = 1 + vectorWidth * problem.elementType.byteWidth / 4
            return ringStages > 0 ? 27 + problem.m + unroll * (rawWords + 7) : 23 + problem.m + unroll * (2 * rawWords + 6)
        }
        let entries = unroll * vectorWidth * (doubleBuffered ? 2 : 1)
        return 28 + problem.m + 2 * entries + (format == .delta4 ? entries : 0)
    }
}
