extension KernelGen {
    /// Threads per block the search space considers for the tiled kernel.
    static let blockThreadChoices = [64, 128, 256]
    /// Dense vectors per lane the search space considers (tile = that x vector x subwarp).
    static let vectorsPerThreadChoices = [1, 2, 4]
    /// Chunk sizes the search space considers.
    static let chunkChoices = [32, 64, 128]

    /// Every valid config for `problem` over the knobs (a few hundred at most), in a stable order;
    /// never empty, because simpleCSR configs are always valid for a valid problem.
    ///
    /// Besides validity, four pruning rules drop configs that are never better than a kept one:
    /// vector widths below half the widest valid one, a tile of several vectors per lane at least
    /// twice as wide as `m` (half the tile would idle), a chunk at least twice the longest row
    /// when a shorter chunk exists, and double buffering when no row needs a second chunk.
    public static func configSpace(for problem: SpMMProblem) -> [SpMMConfig] {
        var space: [SpMMConfig] = []
        var seen = Set<SpMMConfig>()
        func add(_ config: SpMMConfig) {
            guard (try? config.validate(for: problem)) != nil, seen.insert(config).inserted else { return }
            space.append(config)
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
        for threadsPerRow in SpMMConfig.subwarpSizes {
            for threads in [128, 256] {
                add(.simpleCSR(threadsPerRow: threadsPerRow, rowsPerBlock: threads / threadsPerRow))
            }
        }
        precondition(!space.isEmpty, "simpleCSR r8.t32 must be valid for every valid problem")
        return space
    }

    /// The config space of `problem` moved to `device`.
    public static func configSpace(for problem: SpMMProblem, device: DeviceLimits) -> [SpMMConfig] {
        configSpace(for: problem.on(device))
    }

    /// A sensible tiled config chosen from `m` and the mean row length, for use until the tuner
    /// has measured the problem; falls back to simpleCSR when no tiled candidate validates.
    ///
    /// Vector width: the widest (at most 16 bytes) that divides `m`. Subwarp: the largest whose
    /// vectors cover `m` without idling. Tile: one vector per lane, doubled while the grid still
    /// has about four blocks per SM. Chunk: the mean row length rounded up to a power of two,
    /// between 32 and 128. Double buffering when rows average more than one chunk.
    public static func defaultConfig(for problem: SpMMProblem) -> SpMMConfig {
        let bytes = problem.elementType.byteWidth
        let vector = [8, 4, 2, 1].first { $0 * bytes <= 16 && problem.m % $0 == 0 } ?? 1
        let subwarp = [32, 16, 8, 4].first { $0 * vector <= max(problem.m, 4 * vector) } ?? 4
        let rows = max(1, 128 / subwarp)
        let targetBlocks = 4 * problem.device.multiprocessorCount
        let rowBlocks = (problem.n + rows - 1) / rows
        var tile = vector * subwarp
        while tile * 2 <= problem.m && tile * 2 / subwarp <= 16
            && rowBlocks * ((problem.m + tile * 2 - 1) / (tile * 2)) >= targetBlocks
        {
            tile *= 2
        }
        var chunk = 32
        while chunk < 128 && Double(chunk) < problem.meanRowLength { chunk *= 2 }
        let doubleBuffered =
            problem.meanRowLength > Double(chunk)
            && problem.device.computeCapability >= ComputeCapability(major: 8, minor: 0)
        let candidates = [
            SpMMConfig.tiled(
                subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: vector,
                chunkSize: chunk, doubleBuffered: doubleBuffered),
            SpMMConfig.tiled(
                subwarpSize: subwarp, rowsPerBlock: rows, tileWidth: tile, vectorWidth: vector,
                chunkSize: chunk, doubleBuffered: false),
        ]
        for candidate in candidates where (try? candidate.validate(for: problem)) != nil {
            return candidate
        }
        return .simpleCSR()
    }

    /// The default config of `problem` moved to `device`.
    public static func defaultConfig(for problem: SpMMProblem, device: DeviceLimits) -> SpMMConfig {
        defaultConfig(for: problem.on(device))
    }
}
