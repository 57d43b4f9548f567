import SparseFormats

extension TwoFourConfig {
    /// Legality, in order: knob values, block shape, architecture (mma.sp bf16 and cp.async need
    /// 8.0), element type (16-bit), W's structure (2:4), row order, registers, shared memory, grid.
    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        func knob(_ field: String, _ value: Int, _ allowed: [Int]) throws(ConfigError) {
            guard allowed.contains(value) else { throw .unsupportedTwoFourKnob(field: field, value: value, allowed: allowed) }
        }
        try knob("strips", strips, Self.stripChoices)
        try knob("slices", slices, Self.sliceChoices)
        try knob("columns", columns, Self.columnChoices)
        try knob("chunk", chunk, Self.chunkChoices)
        try knob("stages", stages, Self.stageChoices)
        let device = problem.device
        try BlockRules.checkThreads(threadsPerBlock, device: device)
        guard device.computeCapability >= minimumComputeCapability else { throw .asyncCopyNeedsSM80(device.computeCapability) }
        guard problem.elementType == .f16 || problem.elementType == .bf16 else {
            throw .twoFourNeedsHalfElements(problem.elementType)
        }
        guard problem.twoFour else { throw .twoFourNeedsTwoFourWeights }
        guard problem.rowOrdering == .identity else { throw .twoFourNeedsIdentityRowOrder }
        let budget = min(BlockRules.maxRegistersPerThread, device.registersPerMultiprocessor / max(1, threadsPerBlock) / 8 * 8)
        let needed = estimatedRegisters
        guard needed <= budget else { throw .registerBudgetExceeded(threads: threadsPerBlock, budget: budget, needed: needed) }
        let bytes = sharedMemoryBytes(for: problem)
        guard bytes <= device.maxSharedMemoryPerBlockOptIn else {
            throw .sharedMemoryExceedsOptIn(bytes: bytes, limit: device.maxSharedMemoryPerBlockOptIn)
        }
        try BlockRules.checkGrid(gridDimensions(for: problem), device: device)
    }

    /// Registers the kernel needs (a lower bound): 4 fp32 accumulators per n-tile of 8 columns,
    /// plus about 40 for the A and B fragments, the metadata, addresses and loop state.
    package var estimatedRegisters: Int { 40 + columns / 2 }
}
