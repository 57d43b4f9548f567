extension KernelGen {
    /// Threads per block the search space considers for the tiled kernel.
    static let blockThreadChoices = [64, 128, 256]
    /// Dense vectors per lane the search space considers (tile = that x vector x subwarp).
    static let vectorsPerThreadChoices = [1, 2, 4]
    /// Chunk sizes the search space considers.
    static let chunkChoices = [32, 64, 128]
    /// The explicit unroll the space adds to tiled configs (see `add` in ``configSpace(for:)``).
    static let maxUnroll = 8
    /// Block sizes of the wide-block tiled configs (one column tile per SM's L1).
    static let wideBlockThreads = [512, 1024]
    /// Chunk sizes the search space considers with a row split.
    static let splitChunkChoices = [32, 64]

    /// Every valid config for `problem` over the knobs (at most about 1,400), in a stable order;
    /// never empty, because simpleCSR configs are always valid for a valid problem.
    ///
    /// Besides validity, pruning rules drop configs that are never better than a kept one:
    /// vector widths below half the widest valid one, a tile of several vectors per lane at least
    /// twice as wide as `m` (half the tile would idle), a chunk at least twice the longest row
    /// when a shorter chunk exists, double buffering when no row needs a second chunk, and a row
    /// split P > 1 when splitting P / 2 ways already puts two full device loads of threads in
    /// flight (``splitHelps(_:subwarp:tile:problem:)``); split configs also use a narrower knob
    /// range (see the loop). `threads` is the block size; with a split, the block holds
    /// `threads / (subwarp x split)` rows.
    public static func configSpace(for problem: SpMMProblem) -> [SpMMConfig] {
        var space: [SpMMConfig] = []
        var seen = Set<SpMMConfig>()
        func add(_ config: SpMMConfig) {
            guard (try? config.validate(for: problem)) != nil, seen.insert(config).inserted else { return }
            space.append(config)
            // Each tiled config also with 8 nonzeros' X loads in flight, where its own rule
            // issues fewer and the values in flight stay within 64 registers (measured on an
            // H200, 2026-11-21: r8.t32.c256 with unroll 8 ran 1.48x faster than with its rule's 2,
            // geometric mean over the 270 DLMC rn50 layers at n = 256).
            if config.variant == .tiled, config.unroll == 0, config.macUnroll < maxUnroll,
                config.vectorsPerThread * config.vectorWidth * maxUnroll <= 64
            {
                var unrolled = config
                unrolled.unroll = maxUnroll
                add(unrolled)
            }
        }
        // The widest valid vector and half of it: narrower ones move the same bytes with more
        // instructions and only help by shrinking the tile, which subwarp size covers too.
        let widest = [8, 4, 2, 1].first { $0 * problem.elementType.byteWidth <= 16 && problem.m % $0 == 0 } ?? 1
        let vectorWidths = Array(Set([widest, max(1, widest / 2)])).sorted()
        let smallestChunk = chunkChoices[0]
        for subwarp in SpMMConfig.subwarpSizes {
            for threads in blockThreadChoices where threads >= subwarp {
                for vector in vectorWidths {
                    for perThread in vectorsPerThreadChoices {
                        let tile = perThread * vector * subwarp
                        // Keep the narrowest tile that covers m; drop wider ones.
                        if perThread > 1 && tile / 2 >= problem.m { continue }
                        for chunk in chunkChoices {
                            if chunk > smallestChunk && chunk / 2 >= problem.maxRowLength { continue }
                            for doubleBuffered in [false, true] {
                                if doubleBuffered && problem.maxRowLength <= chunk { continue }
                                add(.tiled(
                                    subwarpSize: subwarp, rowsPerBlock: threads / subwarp, tileWidth: tile,
                                    vectorWidth: vector, chunkSize: chunk, doubleBuffered: doubleBuffered))
                            }
                        }
                    }
                }
            }
        }
        // Split rows (P > 1) exist to add parallelism, so only knobs that do not take it away
        // again: subwarps of 8+ lanes, blocks of 128 or 256 threads, the widest vector, at most
        // two vectors per lane, chunks of 32 or 64 (a segment is a fraction of a row); a chunk at
        // least twice the longest segment, and double buffering when no segment needs a second
        // chunk, are dropped as above.
        for split in SpMMConfig.rowSplits.dropFirst() {
            let longestSegment = (problem.maxRowLength + split - 1) / split
            for subwarp in [8, 16, 32] {
                for threads in [128, 256] where threads >= subwarp * split {
                    for perThread in [1, 2] {
                        let tile = perThread * widest * subwarp
                        if perThread > 1 && tile / 2 >= problem.m { continue }
                        if !splitHelps(split, subwarp: subwarp, tile: tile, problem: problem) { continue }
                        for chunk in splitChunkChoices {
                            if chunk > smallestChunk && chunk / 2 >= longestSegment { continue }
                            for doubleBuffered in [false, true] {
                                if doubleBuffered && longestSegment <= chunk { continue }
                                add(.tiled(
                                    subwarpSize: subwarp, rowsPerBlock: threads / (subwarp * split), tileWidth: tile,
                                    vectorWidth: widest, chunkSize: chunk, doubleBuffered: doubleBuffered,
                                    rowSplit: split))
                            }
                        }
                    }
                }
            }
        }
        // Wide blocks: 512 or 1024 threads (the tiled kernel declares __launch_bounds__ for 1024
        // resident threads), one vector per lane, tiles narrower than m, so an SM's L1 serves few
        // column tiles of X (K x tile elements) to many rows. ncu on an H100 confirmed the
        // locality (L1 hit rate 80-86% against 60%) but narrow tiles cost more instructions per
        // FMA, so they lost on the 4096^2 problem; 512-thread blocks with 256-column tiles won
        // transformer layers (docs/perf/2026-11-21-h200-v4). Splits of 2 and 4 keep enough blocks
        // for short, wide problems; grids of fewer blocks than SMs are dropped (the device would idle).
        for threads in wideBlockThreads {
            for subwarp in SpMMConfig.subwarpSizes {
                let tile = widest * subwarp
                if tile >= problem.m { continue }  // one tile covers X: nothing to localise
                for split in [1, 2, 4] where subwarp * split <= threads {
                    if !splitHelps(split, subwarp: subwarp, tile: tile, problem: problem) { continue }
                    let rows = threads / (subwarp * split)
                    let blocks = (problem.n + rows - 1) / rows * ((problem.m + tile - 1) / tile)
                    if blocks < problem.device.multiprocessorCount { continue }
                    let longestSegment = (problem.maxRowLength + split - 1) / split
                    for chunk in (split == 1 ? splitChunkChoices : [smallestChunk]) {
                        if chunk > smallestChunk && chunk / 2 >= longestSegment { continue }
                        for doubleBuffered in [false, true] {
                            if doubleBuffered && longestSegment <= chunk { continue }
                            add(.tiled(
                                subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: widest,
                                chunkSize: chunk, doubleBuffered: doubleBuffered, rowSplit: split))
                        }
                    }
                }
            }
        }
        // X-tiled: only where a staged X element is reused, i.e. the block's rows hold about one
        // nonzero or more per staged column (``xTileReuse(rows:problem:)`` >= ``xTileMinimumReuse``),
        // and where the grid has at least one block per SM; the widest vector only; a tile at least twice as wide as m, a chunk at least twice K
        // when a shorter one exists, and double buffering with a single chunk are dropped as above.
        for subwarp in SpMMConfig.subwarpSizes {
            for threads in [128, 256] {
                let rows = threads / subwarp
                if xTileReuse(rows: rows, problem: problem) < xTileMinimumReuse { continue }
                if rows / 2 >= problem.n { continue }  // more than half the block would idle
                for perThread in xTileVectorsPerThreadChoices {
                    let tile = perThread * widest * subwarp
                    if perThread > 1 && tile / 2 >= problem.m { continue }
                    // A block walks all of K serially: fewer blocks than SMs leave the device idle.
                    let blocks = (problem.n + rows - 1) / rows * ((problem.m + tile - 1) / tile)
                    if blocks < problem.device.multiprocessorCount { continue }
                    for chunk in chunkChoices {
                        if chunk > smallestChunk && chunk / 2 >= problem.k { continue }
                        for doubleBuffered in [false, true] {
                            if doubleBuffered && problem.k <= chunk { continue }
                            add(.xTile(
                                subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: widest,
                                chunkSize: chunk, doubleBuffered: doubleBuffered))
                        }
                    }
                }
            }
        }
        for threadsPerRow in SpMMConfig.subwarpSizes {
            for threads in [128, 256] {
                add(.simpleCSR(threadsPerRow: threadsPerRow, rowsPerBlock: threads / threadsPerRow))
            }
        }
        precondition(!space.isEmpty, "simpleCSR r8.t32 must be valid for every valid problem")
        return space
    }

    /// Dense vectors per lane the xTile space considers (more than the tiled kernel: small
    /// subwarps with many rows per block need several vectors per lane to cover a useful tile).
    static let xTileVectorsPerThreadChoices = [1, 2, 4, 8]

    /// Least reuse for which the xTile space includes a block of `rows` rows.
    static let xTileMinimumReuse = 1.0

    /// Expected rows of a block of `rows` rows that need one staged X row:
    /// `rows x density`, density = nnz / (n x k). Each X element staged from L2 is read that many
    /// times from shared memory; below 1 the staging costs more traffic than it saves.
    static func xTileReuse(rows: Int, problem: SpMMProblem) -> Double {
        guard problem.k > 0 else { return 0 }
        return Double(rows) * Double(problem.nnz) / (Double(problem.n) * Double(problem.k))
    }

    /// Threads one SM keeps resident on the devices Sparrow targets (sm_80, sm_90: 2048). Not in
    /// ``DeviceLimits`` because it never makes a config illegal; the register file holds that
    /// many threads at 32 registers each, so it is derived from it.
    static func residentThreadsPerSM(_ device: DeviceLimits) -> Int {
        max(device.warpSize, min(2048, device.registersPerMultiprocessor / 32))
    }

    /// Whether splitting rows `split` ways can still add useful parallelism: a split of 1 always
    /// can; a split P > 1 only while the P / 2 split leaves fewer than two device loads of
    /// threads (`n x ceil(m / tile) x P / 2 x subwarp < 2 x SMs x resident threads per SM`).
    static func splitHelps(_ split: Int, subwarp: Int, tile: Int, problem: SpMMProblem) -> Bool {
        guard split > 1 else { return true }
        let tiles = (problem.m + tile - 1) / tile
        let halfSplitThreads = problem.n * tiles * (split / 2) * subwarp
        let deviceLoad = problem.device.multiprocessorCount * residentThreadsPerSM(problem.device)
        return halfSplitThreads < 2 * deviceLoad
    }

    /// The config space of `problem` moved to `device`.
    public static func configSpace(for problem: SpMMProblem, device: DeviceLimits) -> [SpMMConfig] {
        configSpace(for: problem.on(device))
    }

    /// The config to use until the tuner has measured the problem: the first of
    /// ``rankedConfigs(for:limit:)`` (simpleCSR when nothing else validates).
    public static func defaultConfig(for problem: SpMMProblem) -> SpMMConfig {
        rankedConfigs(for: problem, limit: 1).first ?? .simpleCSR()
    }

    /// The default config of `problem` moved to `device`.
    public static func defaultConfig(for problem: SpMMProblem, device: DeviceLimits) -> SpMMConfig {
        defaultConfig(for: problem.on(device))
    }
}
