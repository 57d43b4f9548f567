extension AttentionConfig {
    /// Threads per block.
    package var threads: Int { warps * 32 }

    /// Queries one block covers.
    package var queriesPerBlock: Int { usesTensorCores ? 16 * warps : warps }

    /// Shared memory padding of a K or V row, in elements: rows start 16 bytes apart in bank
    /// order so `ldmatrix` and the 32-bit fragment loads see no conflicts.
    static let rowPadding = 8

    /// Elements of a K, V or Q row in shared memory: padded for `ldmatrix` (tc); unpadded in the
    /// core-matrix layout the `wgmma` descriptors read (wg).
    package func sharedRowElements(headSize: Int) -> Int {
        variant == .warpGroup ? headSize : headSize + Self.rowPadding
    }

    /// Dynamic shared memory: the tensor-core kernel's K and V tiles and its block's Q rows (16-bit
    /// elements), then its rows' segment table (3 ints a row and slot, `segmentsPerRow`
    /// slots: a launch's own S, so a one-segment pattern keeps 4 blocks an SM at d 128); none otherwise.
    package func sharedMemoryBytes(headSize: Int, segmentsPerRow: Int) -> Int {
        guard usesTensorCores else { return 0 }
        return (stages * 2 * keysPerTile + queriesPerBlock) * sharedRowElements(headSize: headSize) * 2 + 3 * segmentsPerRow * queriesPerBlock * 4
    }

    /// Static shared memory of the tensor-core kernel: the slot spans (2 x maxSegmentsPerRow ints)
    /// and, split, the merge's flag and each row's max and inverse sum (with its alignment, as ptxas
    /// reports it); none otherwise. Counted with the dynamic bytes against the device's limit.
    package var staticSharedMemoryBytes: Int {
        guard usesTensorCores else { return 0 }
        return 4 * 2 * Self.maxSegmentsPerRow + (splits ? 16 + 8 * queriesPerBlock : 0)
    }

    /// A lower bound on the registers a thread of the tensor-core kernel takes: the output
    /// accumulators (d / 2), the scores (keysPerTile / 2) and 40 for fragments in flight, addresses,
    /// the two rows' softmax state and the segment bounds (Q stays in shared memory). Checked against
    /// ptxas (NVRTC 13.5, sm_90, every sampled config): within 9 of it at 32-key tiles, 6-42 under
    /// at 64 and 19-81 under at 128, where ptxas keeps more K and V fragments in flight.
    package func estimatedRegisters(headSize: Int) -> Int {
        usesTensorCores ? headSize / 2 + keysPerTile / 2 + 40 : 64
    }

    /// `wgmma` exists on compute capability 9.0 alone (sm_90a; not on later architectures).
    package static let warpGroupCapability = ComputeCapability(major: 9, minor: 0)

    /// The compute capability the variant's kernels need at least (the `wg` kernels need exactly
    /// ``warpGroupCapability``).
    package var minimumComputeCapability: ComputeCapability {
        switch variant {
        case .tensorCore: ComputeCapability(major: 8, minor: 0)
        case .warpGroup: Self.warpGroupCapability
        case .rowWarp, .unfused: ComputeCapability(major: 7, minor: 0)
        }
    }

    /// Whether the variant's instructions exist on a device of `capability` (the check `validate`
    /// makes first among the device's limits).
    package func runs(on capability: ComputeCapability) -> Bool {
        capability >= minimumComputeCapability && (variant != .warpGroup || capability == Self.warpGroupCapability)
    }

    /// Checks the knobs, then the device's limits for `problem`.
    package func validate(for problem: AttentionProblem) throws(AttentionConfigError) {
        let name = variant.rawValue
        switch variant {
        case .tensorCore, .warpGroup:
            let knobs = Self.tensorCoreKnobs(variant)
            guard knobs.warps.contains(warps) else {
                throw .unsupportedKnob(variant: name, field: "warps", value: warps, allowed: knobs.warps)
            }
            guard knobs.keysPerTile.contains(keysPerTile) else {
                throw .unsupportedKnob(variant: name, field: "keysPerTile", value: keysPerTile, allowed: knobs.keysPerTile)
            }
            guard knobs.stages.contains(stages) else {
                throw .unsupportedKnob(variant: name, field: "stages", value: stages, allowed: knobs.stages)
            }
            guard Self.tensorCoreTilesPerSplit.contains(tilesPerSplit) else {
                throw .unsupportedKnob(variant: name, field: "tilesPerSplit", value: tilesPerSplit, allowed: Self.tensorCoreTilesPerSplit)
            }
            let capability = problem.device.computeCapability
            guard runs(on: capability) else { throw variant == .warpGroup ? .needsSM90a(capability) : .needsSM80(capability) }
            let needed = estimatedRegisters(headSize: problem.headSize)
            guard needed <= 255 else { throw .registerBudgetExceeded(needed: needed, limit: 255) }
        case .rowWarp, .unfused:
            guard Self.rowWarps.contains(warps) else {
                throw .unsupportedKnob(variant: name, field: "warps", value: warps, allowed: Self.rowWarps)
            }
            guard keysPerTile == 32 else { throw .unsupportedKnob(variant: name, field: "keysPerTile", value: keysPerTile, allowed: [32]) }
            guard stages == 1 else { throw .unsupportedKnob(variant: name, field: "stages", value: stages, allowed: [1]) }
            guard tilesPerSplit == 0 else { throw .unsupportedKnob(variant: name, field: "tilesPerSplit", value: tilesPerSplit, allowed: [0]) }
        }
        guard threads <= problem.device.maxThreadsPerBlock else {
            throw .tooManyThreads(threads: threads, limit: problem.device.maxThreadsPerBlock)
        }
        // The most segments a row can have: a config valid here launches for every pattern.
        let bytes = sharedMemoryBytes(headSize: problem.headSize, segmentsPerRow: Self.maxSegmentsPerRow) + staticSharedMemoryBytes
        guard bytes <= problem.device.maxSharedMemoryPerBlockOptIn else {
            throw .sharedMemoryExceedsOptIn(bytes: bytes, limit: problem.device.maxSharedMemoryPerBlockOptIn)
        }
    }
}
