import KernelGen

/// Orders a space by a cost model and picks a short, diverse list for the measurer: the best
/// guess first, several shapes rather than one shape's chunk variants, and every family present.
package struct DiversifiedRanking: Sendable {
    /// The model that orders the space.
    package var model: HandCostModel

    package init(model: HandCostModel = HandCostModel()) {
        self.model = model
    }

    /// The `limit` most promising configs of `space` (the legal, pruned space of `problem`), best
    /// guess first, all distinct; never empty for `limit >= 1` and a non-empty space.
    ///
    /// Ordered by the model's estimate (ties by position in the space), then diversified: the
    /// first half of the list takes the best config of each distinct (family, row split,
    /// subwarp, tile, wide block) shape whose estimate is within 4x of the best, the second half
    /// the best remaining ones whatever their shape; when `limit >= 4` the best simple, unsplit
    /// tiled, split tiled, X-tiled, wide-block tiled specialised and bitmap configs (those the space has) are always
    /// included, and X-tiled takes one slot of the list (simple was the fastest on several
    /// measured layers). The final list is sorted by estimate, so `first` is the single best guess.
    package func ranked(_ space: [SpMMConfig], for problem: SpMMProblem, limit: Int) -> [SpMMConfig] {
        guard limit >= 1, !space.isEmpty else { return [] }
        let scored = space.enumerated()
            .map { (index: $0.offset, config: $0.element, time: model.estimatedNanoseconds($0.element, for: problem)) }
            .sorted { ($0.time, $0.index) < ($1.time, $1.index) }
        let best = scored[0].time
        var picked: [(index: Int, config: SpMMConfig, time: Double)] = []
        var taken = Set<SpMMConfig>()
        // xTile lost every measured comparison so far (H200 sweep of 4096^2 at 0.9, n = 256:
        // best xTile 165 us, best tiled 89.6 us; docs/perf/2026-11-21-h200-v3): one slot only,
        // as the safety net that keeps the family measured.
        let xTileCap = 1
        var xTileCount = 0
        func take(_ entry: (index: Int, config: SpMMConfig, time: Double)) {
            let xTile = entry.config.family == .xTile
            guard picked.count < limit, !xTile || xTileCount < xTileCap, taken.insert(entry.config).inserted else { return }
            picked.append(entry)
            if xTile { xTileCount += 1 }
        }
        var shapes = Set<Shape>()
        let diverse = limit == 1 ? 1 : (limit + 1) / 2
        for entry in scored where picked.count < diverse && entry.time <= 4 * best {
            if shapes.insert(Shape(entry.config)).inserted { take(entry) }
        }
        // Safety nets for the measurer: the best of each family (simple, unsplit tiled, split
        // tiled, xTile, wide-block tiled, specialised, bitmap, 2:4) is in the list, so a model error about a whole family
        // cannot hide it.
        let families: [(SpMMConfig) -> Bool] = [
            { $0.family == .simple },
            { ($0.asTiled.map { $0.rowSplit == 1 && $0.threadsPerBlock < 512 }) ?? false },
            { ($0.asTiled?.rowSplit ?? 1) > 1 },
            { $0.family == .xTile },
            { ($0.asTiled?.threadsPerBlock ?? 0) >= 512 },
            { $0.family == .specialised },
            { $0.family == .bitmap },
            { $0.family == .twoFour },
        ]
        let reserved = limit < 4 ? [] : families.compactMap { family in
            picked.contains { family($0.config) } ? nil : scored.first { family($0.config) }
        }
        for entry in scored where picked.count < limit - reserved.count { take(entry) }
        for entry in reserved { take(entry) }
        return picked.sorted { ($0.time, $0.index) < ($1.time, $1.index) }.map(\.config)
    }

    /// The ranking of `problem`'s space.
    package func ranked(for problem: SpMMProblem, limit: Int, space: SpMMSpace = SpMMSpace()) -> [SpMMConfig] {
        ranked(space.configs(for: problem), for: problem, limit: limit)
    }

    /// What makes two configs different enough to both be worth a slot early in the list.
    struct Shape: Hashable {
        let family: SpMMConfig.Family
        let split, subwarp, tile: Int
        let wide: Bool

        init(_ config: SpMMConfig) {
            family = config.family
            wide = config.threadsPerBlock >= 512
            switch config {
            case let .simple(simple): (split, subwarp, tile) = (1, simple.threadsPerRow, simple.threadsPerRow)
            case let .tiled(tiled): (split, subwarp, tile) = (tiled.rowSplit, tiled.subwarpSize, tiled.tileWidth)
            case let .xTile(xTile): (split, subwarp, tile) = (1, xTile.subwarpSize, xTile.tileWidth)
            case let .compact(compact): (split, subwarp, tile) = (compact.split, 32, compact.format.rawValue)
            case let .specialised(specialised): (split, subwarp, tile) = (1, specialised.rowsPerBlock, specialised.threads * specialised.vectorWidth)
            case let .bitmap(bitmap): (split, subwarp, tile) = (bitmap.slices, 16 * bitmap.strips, bitmap.columns)
            case let .twoFour(twoFour): (split, subwarp, tile) = (twoFour.slices, 16 * twoFour.strips, twoFour.columns)
            case let .fragmentCOO(fcoo): (split, subwarp, tile) = (fcoo.slices, 16 * fcoo.strips, fcoo.columns)
            }
        }
    }
}
