import SparseFormats

/// The work list of the split tensor-core kernel (a config with `tilesPerSplit` T > 0) for one
/// pattern: which block of the unsplit grid each launched block stands for, which of that block's
/// tiles it walks, and where it leaves its partial. Pure layout, computed once per pattern from
/// ACSR's segments; T itself is the Tuner's choice.
///
/// A block's tile walk mirrors the kernel: for block x (residue r = x / B, query block b = x mod
/// B, B blocks per residue class) and ACSR slot s, its live rows' segments span view keys
/// [lo_s, hi_s] (key = r + v u); the block walks slot 0's span in tiles of BK keys, then slot 1's,
/// and so on, a slot no row uses giving no tile. So the walk has sum over s of
/// (hi_s - lo_s) / BK + 1 tiles (slots with hi_s >= lo_s).
///
/// A block of n <= T tiles is one item writing O directly (`partial` -1). A block of n > T
/// tiles becomes a group of k = ceil(n / T) items over consecutive tiles, the first n mod k of
/// them one tile longer than the rest (so splits differ by at most one tile); each writes its
/// partial to slot `groupFirstPartial + j` of the workspace, and the group's counter tells the
/// last one to finish to merge the k partials into O. Groups come first in the list (their
/// merge should not be the last thing the grid does), then the unsplit blocks in grid order.
package struct AttentionSplitPlan: Sendable, Hashable, CustomStringConvertible {
    /// One launched block.
    package struct Item: Sendable, Hashable {
        /// The unsplit grid's block (residue x blocks per residue + query block).
        package var block: Int
        package var firstTile: Int
        package var tileCount: Int
        /// Workspace slot of this split's partial; -1 for an unsplit block.
        package var partial: Int
        /// The block's group (counter index); -1 for an unsplit block.
        package var group: Int
        package var groupFirstPartial: Int
        package var groupSplits: Int

        package init(block: Int, firstTile: Int, tileCount: Int, partial: Int = -1, group: Int = -1, groupFirstPartial: Int = -1, groupSplits: Int = 1) {
            self.block = block
            self.firstTile = firstTile
            self.tileCount = tileCount
            self.partial = partial
            self.group = group
            self.groupFirstPartial = groupFirstPartial
            self.groupSplits = groupSplits
        }
    }

    /// Int32 words per item in the device array (two int4 loads).
    package static let wordsPerItem = 8

    package let queriesPerBlock: Int
    package let keysPerTile: Int
    package let tilesPerSplit: Int
    /// Tiles each block of the unsplit grid walks, in grid order.
    package let blockTiles: [Int]
    package let items: [Item]
    /// Partials per head (the workspace holds batchHeads x partials x queriesPerBlock rows).
    package let partials: Int
    /// Split blocks per head (one counter each).
    package let groups: Int

    /// Plans `pattern` for a split config (`tilesPerSplit` > 0) at view stride `viewStride`.
    package init(pattern: ACSR, viewStride: Int, config: AttentionConfig) throws(AttentionConfigError) {
        guard config.splits else {
            throw .unsupportedKnob(variant: config.variant.rawValue, field: "tilesPerSplit", value: config.tilesPerSplit, allowed: AttentionConfig.tensorCoreTilesPerSplit.filter { $0 > 0 })
        }
        let tiles = Self.blockTiles(pattern: pattern, viewStride: viewStride, queriesPerBlock: config.queriesPerBlock, keysPerTile: config.keysPerTile)
        self.init(blockTiles: tiles, queriesPerBlock: config.queriesPerBlock, keysPerTile: config.keysPerTile, tilesPerSplit: config.tilesPerSplit)
    }

    /// Plans given tile counts (what ``blockTiles(pattern:viewStride:queriesPerBlock:keysPerTile:)`` returns).
    package init(blockTiles: [Int], queriesPerBlock: Int, keysPerTile: Int, tilesPerSplit: Int) {
        precondition(tilesPerSplit > 0, "a split plan needs tilesPerSplit > 0")
        self.queriesPerBlock = queriesPerBlock
        self.keysPerTile = keysPerTile
        self.tilesPerSplit = tilesPerSplit
        self.blockTiles = blockTiles
        var split: [Item] = [], whole: [Item] = []
        var partials = 0, groups = 0
        for (block, n) in blockTiles.enumerated() {
            guard n > tilesPerSplit else {
                whole.append(Item(block: block, firstTile: 0, tileCount: n))
                continue
            }
            let k = (n + tilesPerSplit - 1) / tilesPerSplit
            var first = 0
            for j in 0..<k {
                let count = n / k + (j < n % k ? 1 : 0)
                split.append(Item(block: block, firstTile: first, tileCount: count, partial: partials + j, group: groups, groupFirstPartial: partials, groupSplits: k))
                first += count
            }
            partials += k
            groups += 1
        }
        items = split + whole
        self.partials = partials
        self.groups = groups
    }

    /// Tiles of BK keys each block of the tensor-core grid walks (the kernel's lo / hi per slot).
    package static func blockTiles(pattern: ACSR, viewStride v: Int, queriesPerBlock bq: Int, keysPerTile bk: Int) -> [Int] {
        let length = pattern.length, slots = pattern.segmentsPerRow
        let perResidue = (length + v - 1) / v
        let blocks = (perResidue + bq - 1) / bq
        var result: [Int] = []
        result.reserveCapacity(v * blocks)
        for r in 0..<v {
            let inClass = (length - r + v - 1) / v
            for b in 0..<blocks {
                var lo = [Int](repeating: Int.max, count: slots), hi = [Int](repeating: -1, count: slots)
                for qv in (b * bq)..<min(inClass, (b + 1) * bq) {
                    let i = r + v * qv
                    for s in 0..<slots {
                        let p = i * slots + s
                        let c = Int(pattern.segmentCount[p])
                        if c == 0 { break }
                        let u0 = (Int(pattern.segmentStart[p]) - r) / v
                        let m = c > 1 ? Int(pattern.segmentStride[p]) / v : 1
                        lo[s] = min(lo[s], u0)
                        hi[s] = max(hi[s], u0 + m * (c - 1))
                    }
                }
                result.append(zip(lo, hi).reduce(0) { $0 + ($1.1 >= $1.0 ? ($1.1 - $1.0) / bk + 1 : 0) })
            }
        }
        return result
    }

    /// The device array: per item {block, firstTile, tileCount, partial, group, groupFirstPartial, groupSplits, 0}.
    package var words: [Int32] {
        items.flatMap { [$0.block, $0.firstTile, $0.tileCount, $0.partial, $0.group, $0.groupFirstPartial, $0.groupSplits, 0].map { Int32($0) } }
    }

    /// The longest walk one launched block does.
    package var longestItem: Int { items.map(\.tileCount).max() ?? 0 }

    package var description: String {
        "split T=\(tilesPerSplit): \(items.count) items, \(groups) split blocks, \(partials) partials, longest \(longestItem) of \(blockTiles.max() ?? 0) tiles"
    }
}
