import KernelGen

// Today's rules, in the order a config is tested against them. Where a rule names a config's
// "segment", that is the longest row's share of one subwarp: ceil(maxRowLength / rowSplit).
extension SpMMPruningRule {
    /// Every rule below, in order.
    package static let standard: [SpMMPruningRule] = [
        narrowVector, widestVectorOnly, tileTwiceM, chunkTwiceWork, doubleBufferSingleChunk, splitWithoutParallelism,
        wideTileCoversM, gridBelowDevice, xTileWithoutReuse, xTileIdleRows, unrollTooManyValues, compactChunkCoversK, compactIdleWarps, compactShortSegments,
        compactNarrowVector, bitmapColumnsCoverM, bitmapBlocksBelowDevice, bitmapShortSlices, stripSliceSplitsFillDevice,
    ] + specialisedRules + rowOrderRules

    /// Unsplit tiled blocks of 256 threads or fewer: vector widths below half the widest legal one.
    package static let narrowVector = SpMMPruningRule(
        "narrow-vector",
        reason: "vectors below half the widest legal width move the same bytes with more instructions; subwarp size covers narrow tiles",
        provenance: .algorithm("instruction count per byte")) { config, problem in
        guard let tiled = config.asTiled, Section(tiled) == .plain else { return false }
        return tiled.vectorWidth < problem.widestVector / 2
    }

    /// Split and wide tiled configs and X-tiled ones: the widest legal vector only, except that
    /// split tiled configs of 2-byte elements also keep 4-element vectors, the column tiles of
    /// f32's widest (wide blocks do not: `r64.t4.c16.v4.k32.db0.s2.u8` spills at f16 and bf16 on
    /// sm_90 under their 64-register bound). Measured (H200, 2026-11-30, docs/perf/2026-11-30-h200-tuner-trials2):
    /// on DLMC rn50 0.9 at f16, split configs with 4-element vectors (`r1.t32.c128.v4.k32.db0.s4.u8`,
    /// the measured portfolio's) ran up to 34% faster than the best config this rule had left
    /// (5.9 against 8.9 us): half-width tiles double the blocks of these small layers.
    package static let widestVectorOnly = SpMMPruningRule(
        "widest-vector-only",
        reason: "split rows, wide blocks and X tiles use the widest legal vector only (they exist for parallelism or locality, not narrow tiles); 2-byte split tiled configs also keep f32's 4-element tiles",
        provenance: .measured(where: "H200 DLMC rn50 f16 sweeps, 2026-11-30")) { config, problem in
        switch config {
        case let .tiled(tiled):
            Section(tiled) != .plain && tiled.vectorWidth != problem.widestVector
                && !(Section(tiled) == .split && tiled.vectorWidth == min(problem.widestVector, f32WidestVector))
        case let .xTile(xTile): xTile.vectorWidth != problem.widestVector
        case .simple, .compact, .specialised, .bitmap, .twoFour, .fragmentCOO: false
        }
    }

    /// Several vectors per lane with a tile at least twice as wide as m.
    package static let tileTwiceM = SpMMPruningRule(
        "tile-twice-m",
        reason: "a tile of several vectors per lane at least twice as wide as m leaves half of it idle; the narrower tile covers m",
        provenance: .algorithm("idle lanes")) { config, problem in
        switch config {
        case let .tiled(tiled): tiled.vectorsPerThread > 1 && tiled.tileWidth / 2 >= problem.m
        case let .xTile(xTile): xTile.vectorsPerThread > 1 && xTile.tileWidth / 2 >= problem.m
        case .simple, .compact, .specialised, .bitmap, .twoFour, .fragmentCOO: false
        }
    }

    /// A chunk above the smallest that is at least twice the work it stages.
    package static let chunkTwiceWork = SpMMPruningRule(
        "chunk-twice-work",
        reason: "a chunk at least twice the longest segment (tiled) or K (X-tiled) stages no more than the smallest chunk does",
        provenance: .algorithm("staging work")) { config, problem in
        switch config {
        case let .tiled(tiled): tiled.chunkSize > smallestChunk && tiled.chunkSize / 2 >= longestSegment(tiled, problem)
        case let .xTile(xTile): xTile.chunkSize > smallestChunk && xTile.chunkSize / 2 >= problem.k
        case .simple, .compact, .specialised, .bitmap, .twoFour, .fragmentCOO: false
        }
    }

    /// Double buffering where one chunk holds everything.
    package static let doubleBufferSingleChunk = SpMMPruningRule(
        "double-buffer-single-chunk",
        reason: "double buffering when no segment (tiled) or K (X-tiled) needs a second chunk has nothing to prefetch",
        provenance: .algorithm("nothing to overlap")) { config, problem in
        switch config {
        case let .tiled(tiled): tiled.doubleBuffered && longestSegment(tiled, problem) <= tiled.chunkSize
        case let .xTile(xTile): xTile.doubleBuffered && problem.k <= xTile.chunkSize
        case .simple, .compact, .specialised, .bitmap, .twoFour, .fragmentCOO: false
        }
    }

    /// A row split P > 1 when the P / 2 split already fills the device twice.
    package static let splitWithoutParallelism = SpMMPruningRule(
        "split-without-parallelism",
        reason: "a row split P > 1 when splitting P / 2 ways already puts two full device loads of threads in flight",
        provenance: .hardware("resident threads per SM x SMs")) { config, problem in
        guard let tiled = config.asTiled else { return false }
        return !problem.splitHelps(tiled.rowSplit, subwarp: tiled.subwarpSize, tile: tiled.tileWidth)
    }

    /// Wide blocks whose one tile covers all of m.
    package static let wideTileCoversM = SpMMPruningRule(
        "wide-tile-covers-m",
        reason: "wide blocks localise X column tiles in L1; a tile covering m has nothing to localise",
        provenance: .measured(where: "H100 ncu 2026-11-21 (L1 hit rate 80-86% against 60%) and H200 2026-11-21, docs/perf/2026-11-21-h200-v4")) { config, problem in
        guard let tiled = config.asTiled, Section(tiled) == .wide else { return false }
        return tiled.tileWidth >= problem.m
    }

    /// Wide tiled and X-tiled grids of fewer blocks than SMs.
    package static let gridBelowDevice = SpMMPruningRule(
        "grid-below-device",
        reason: "wide tiled and X-tiled grids of fewer blocks than SMs leave the device idle (an X-tiled block walks all of K serially)",
        provenance: .hardware("one block per SM at least")) { config, problem in
        switch config {
        case let .tiled(tiled) where Section(tiled) == .wide: blocks(config, problem) < problem.device.multiprocessorCount
        case .xTile: blocks(config, problem) < problem.device.multiprocessorCount
        default: false
        }
    }

    /// X-tiled blocks whose rows hold less than one nonzero per staged column.
    package static let xTileWithoutReuse = SpMMPruningRule(
        "xtile-without-reuse",
        reason: "an X-tiled block whose rows reuse a staged X element less than once (rows x density < 1) costs more traffic than it saves",
        provenance: .algorithm("L2 traffic")) { config, problem in
        guard let xTile = config.asXTile else { return false }
        return problem.xTileReuse(rows: xTile.rowsPerBlock) < xTileMinimumReuse
    }

    /// X-tiled blocks of more than twice n rows.
    package static let xTileIdleRows = SpMMPruningRule(
        "xtile-idle-rows",
        reason: "an X-tiled block with at least twice n rows leaves more than half of them idle",
        provenance: .algorithm("idle rows")) { config, problem in
        guard let xTile = config.asXTile else { return false }
        return xTile.rowsPerBlock / 2 >= problem.n
    }

    /// The unroll-8 twin where it would hold more than 64 X values in flight.
    package static let unrollTooManyValues = SpMMPruningRule(
        "unroll-too-many-values",
        reason: "an explicit unroll of 8 is kept only while the X values in flight (vectors x width x 8) stay within 64 registers",
        provenance: .measured(where: "H200 2026-11-21: r8.t32.c256 with unroll 8 ran 1.48x faster than with its rule's 2 (geometric mean over the 270 DLMC rn50 layers at n = 256), docs/perf/2026-11-21-h200-v4")
    ) { config, _ in
        guard let tiled = config.asTiled, tiled.unroll == SpMMSpace.maxUnroll else { return false }
        return tiled.vectorsPerThread * tiled.vectorWidth * SpMMSpace.maxUnroll > 64
    }

    /// Least reuse for which an X-tiled block is kept.
    static let xTileMinimumReuse = 1.0
    /// The smallest chunk of the space: never removed for being long.
    static let smallestChunk = SpMMSpace.chunkChoices[0]
    /// The widest f32 vector (16 bytes): the column tiles the f32 winners use.
    static let f32WidestVector = 4

    /// The tiled sections of the enumeration, which differ in their rules.
    enum Section {
        case plain, split, wide

        init(_ tiled: TiledConfig) {
            self = tiled.threadsPerBlock >= 512 ? .wide : tiled.rowSplit > 1 ? .split : .plain
        }
    }

    /// The longest row's segment: `ceil(maxRowLength / rowSplit)`.
    static func longestSegment(_ tiled: TiledConfig, _ problem: SpMMProblem) -> Int {
        (problem.maxRowLength + tiled.rowSplit - 1) / tiled.rowSplit
    }

    /// Blocks in the grid.
    static func blocks(_ config: SpMMConfig, _ problem: SpMMProblem) -> Int {
        let grid = config.gridDimensions(for: problem)
        return grid.x * grid.y
    }
}
