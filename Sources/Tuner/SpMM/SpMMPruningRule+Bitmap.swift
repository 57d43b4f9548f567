import KernelGen

// Rules for the tensor-core strip-and-slice families (bitmap and 2:4): each removes configs that
// move the same bytes of W with less parallelism, or multiply padding.
extension SpMMPruningRule {
    /// Column tiles other than the smallest one covering m (for m above the widest tile: the
    /// widest and half of it); the 2:4 family also keeps 16 columns for m above 16. Measured (H200,
    /// 2026-12-01, docs/perf/2026-12-01-h200-session13-sp24, call 3): at m = 64 a 2:4 tile of 16
    /// columns beat every 64-column one on 4096x4096 and 4096x11008 (21.3 against 30.4 us, 49.7
    /// against 53.1 us), its blocks more and lighter (a 64-column tile reads eight ldmatrix of X a
    /// unit of W).
    package static let bitmapColumnsCoverM = SpMMPruningRule(
        "bitmap-columns-cover-m",
        reason: "a bitmap or 2:4 column tile wider than m multiplies padding columns, and a narrower one re-reads W once per tile; keep the smallest tile covering m (past 64 columns: 64 and 32; 2:4 also 16)",
        provenance: .measured(where: "H200 llm suite fp16 cold, 2026-11-30 and 2026-12-01")) { config, problem in
        guard let shape = config.stripSlice else { return false }
        if config.family == .twoFour && shape.columns == 16 && problem.m > 16 { return false }
        let choices = BitmapConfig.columnChoices
        guard let covering = choices.first(where: { $0 >= problem.m }) else {
            return shape.columns < choices[choices.count - 2]
        }
        return shape.columns != covering
    }

    /// Several strips per block where the grid then has fewer blocks than half the device's SMs.
    /// Measured (H200, 2026-11-30, docs/perf/2026-11-30-h200-llm-bitmap): at 4096 rows, two strips
    /// per block (128 blocks for 132 SMs) beat the best one-strip config (256 blocks) at n = 16 and 64 by 1.2-1.4x,
    /// since the block's strips share each staged step of X; so only grids below half the SMs go.
    package static let bitmapBlocksBelowDevice = SpMMPruningRule(
        "bitmap-blocks-below-device",
        reason: "a bitmap or 2:4 block of several strips whose grid leaves more than half the SMs without a block streams W from too few SMs; fewer strips per block fill more of them",
        provenance: .measured(where: "H200 llm suite fp16 cold, 2026-11-30")) { config, problem in
        guard let shape = config.stripSlice, shape.strips > 1 else { return false }
        let grid = config.gridDimensions(for: problem)
        return 2 * grid.x * grid.y * grid.z < problem.device.multiprocessorCount
    }

    /// K splits over the grid where the grid without them (or with half as many) already has a
    /// block for every SM: a split costs a workspace round trip and buys only parallelism (and,
    /// with several strips a block, fewer copies of X), which such a grid does not need.
    package static let stripSliceSplitsFillDevice = SpMMPruningRule(
        "strip-slice-splits-fill-device",
        reason: "a K split of a bitmap or 2:4 grid that already has a block for every SM without it (or with half the splits) adds partial sums in a workspace for no parallelism",
        provenance: .algorithm("parallelism")) { config, problem in
        guard let shape = config.stripSlice, shape.splits > 1 else { return false }
        let grid = config.gridDimensions(for: problem)
        let unsplit = grid.x * grid.y
        return unsplit >= problem.device.multiprocessorCount || unsplit * shape.splits / 2 >= problem.device.multiprocessorCount
    }

    /// K slices (of a K split) shorter than one staged step.
    package static let bitmapShortSlices = SpMMPruningRule(
        "bitmap-short-slices",
        reason: "a bitmap or 2:4 K slice shorter than one staged step leaves most of each step empty; fewer slices or a smaller chunk stage the same blocks",
        provenance: .algorithm("empty staging")) { config, problem in
        guard let shape = config.stripSlice, shape.slices * shape.splits > 1 else { return false }
        let units = (problem.k + shape.unitColumns - 1) / shape.unitColumns
        return units / (shape.slices * shape.splits) < shape.chunk
    }
}

extension SpMMConfig {
    /// The shape the strip/slice families (bitmap, 2:4, fragment-COO) share (nil for the others): 16-row strips per block,
    /// K slices (one warp each), columns of X per block, units of K a warp stages per step, the
    /// ring's steps, the K splits over the grid, and the K columns of a unit (a bitmap 16 x 16 block, a 2:4 16 x 32 tile).
    var stripSlice: (strips: Int, slices: Int, columns: Int, chunk: Int, stages: Int, splits: Int, unitColumns: Int)? {
        switch self {
        case let .bitmap(config): (config.strips, config.slices, config.columns, config.chunk, config.stages, config.splits, 16)
        case let .twoFour(config): (config.strips, config.slices, config.columns, config.chunk, config.stages, config.splits, 32)
        case let .fragmentCOO(config): (config.strips, config.slices, config.columns, config.chunk, config.stages, config.splits, 16)
        default: nil
        }
    }
}
