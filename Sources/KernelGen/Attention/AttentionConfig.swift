/// How an attention kernel is built: which variant, and its knobs. A plain value; which one is
/// fast is the Tuner's business.
///
/// - ``Variant/tensorCore``: fused, one block per (batch x head, block of `16 * warps` queries of
///   one residue class modulo the view stride); K and V tiles of `keysPerTile` keys go to shared
///   memory (`stages` buffers, `cp.async`), Q Kᵀ and P V on `mma.sync.m16n8k16` (fp16/bf16 in,
///   fp32 accumulation), the mask computed from the segments, an online softmax per row. With
///   `tilesPerSplit` T > 0 a block whose tile walk is longer than T tiles is cut into splits of at
///   most T tiles over its keys (flash-decoding style, ``AttentionSplitPlan``): each split writes
///   its rows' partial (running max, running sum, unnormalised O) to a workspace and the last
///   split of the block to finish merges them into O; other blocks write O directly.
/// - ``Variant/warpGroup``: the same fused kernel on Hopper's `wgmma` (sm_90a): each warpgroup of
///   4 warps owns 64 queries; Q, K and V tiles sit in shared memory as 8-row groups of 16-byte core
///   matrices (no padding, no swizzle), Q Kᵀ reads Q and K through matrix descriptors, P V takes P
///   from registers and V through a transposed descriptor. A warp issues D / 16 + BK / 16 `wgmma`
///   a tile where the tc kernel issues D BK / 64 `mma.sync` and their `ldmatrix` loads.
/// - ``Variant/rowWarp``: fused on CUDA cores, one warp per query row (`warps` rows per block),
///   lanes over 32 keys at a time for the scores and over the head's features for P V.
/// - ``Variant/unfused``: three kernels (SDDMM into fp32 scores at ACSR's sparse positions, row
///   softmax in place, SpMM of P with V), one warp per row, `warps` rows per block.
package struct AttentionConfig: Sendable, Hashable, Codable, CustomStringConvertible {
    package enum Variant: String, Sendable, Hashable, Codable, CaseIterable {
        case tensorCore = "tc"
        case warpGroup = "wg"
        case rowWarp = "rw"
        case unfused
    }

    package var variant: Variant
    /// Warps per block: the tensor-core kernel's query block is 16 rows per warp; the others take
    /// one row per warp.
    package var warps: Int
    /// Keys per shared-memory tile (tensor core only; 32 otherwise).
    package var keysPerTile: Int
    /// Shared-memory buffers of K and V (tensor core only; 1 otherwise): 2 overlaps the next
    /// tile's copy with this tile's math.
    package var stages: Int
    /// Most tiles one block of the tensor-core kernel walks before its walk is split over several
    /// blocks (0: never split, the kernel without a work list). A run-time knob: every T > 0
    /// shares one compiled split kernel; the plan (``AttentionSplitPlan``) applies it.
    package var tilesPerSplit: Int

    package init(_ variant: Variant, warps: Int, keysPerTile: Int = 32, stages: Int = 1, tilesPerSplit: Int = 0) {
        self.variant = variant
        self.warps = warps
        self.keysPerTile = keysPerTile
        self.stages = stages
        self.tilesPerSplit = tilesPerSplit
    }

    private enum CodingKeys: String, CodingKey { case variant, warps, keysPerTile, stages, tilesPerSplit }

    /// Decodes configs stored before `tilesPerSplit` existed as unsplit.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try c.decode(Variant.self, forKey: .variant), warps: try c.decode(Int.self, forKey: .warps),
            keysPerTile: try c.decode(Int.self, forKey: .keysPerTile), stages: try c.decode(Int.self, forKey: .stages),
            tilesPerSplit: try c.decodeIfPresent(Int.self, forKey: .tilesPerSplit) ?? 0)
    }

    /// Whether the tensor-core kernel runs from a split plan (a work list and a partials workspace).
    package var splits: Bool { usesTensorCores && tilesPerSplit > 0 }

    /// The fused tensor-core kernel, on `mma.sync` (tc) or `wgmma` (wg): one body, one set of knobs.
    package var usesTensorCores: Bool { variant == .tensorCore || variant == .warpGroup }

    /// Knob values each variant is written for.
    package static let tensorCoreWarps = [2, 4, 8]
    /// Whole warpgroups: one (64 queries) or two (128) a block.
    package static let warpGroupWarps = [4, 8]
    /// Two buffers: one stage and 128-key tiles ran slowest (call 1 of
    /// docs/perf/2026-12-02-h200-session14-wgmma), and a third buffer for FlashAttention-3's overlap
    /// of tile t's P V with tile t + 1's softmax ran 3-10% slower than two (call 5; not kept).
    package static let warpGroupStages = [2]
    package static let warpGroupKeysPerTile = [32, 64]
    package static let tensorCoreKeysPerTile = [32, 64, 128]
    package static let tensorCoreStages = [1, 2]
    /// 0 (unsplit), 2 (splits even a window's block: the selftest's heavy case), 8 and 32.
    package static let tensorCoreTilesPerSplit = [0, 2, 8, 32]
    package static let rowWarps = [1, 2, 4, 8]
    /// Most segments per row the tensor-core kernel keeps block ranges for (shared memory).
    package static let maxSegmentsPerRow = 8

    /// The warps, keys per tile and stages a tensor-core variant (tc, wg) is written for; every
    /// one takes ``tensorCoreTilesPerSplit``.
    package static func tensorCoreKnobs(_ variant: Variant) -> (warps: [Int], keysPerTile: [Int], stages: [Int]) {
        variant == .warpGroup
            ? (warpGroupWarps, warpGroupKeysPerTile, warpGroupStages) : (tensorCoreWarps, tensorCoreKeysPerTile, tensorCoreStages)
    }

    /// Every config of the space the kernels are written for.
    package static var all: [AttentionConfig] {
        var list: [AttentionConfig] = []
        for variant in [Variant.tensorCore, .warpGroup] {
            let knobs = tensorCoreKnobs(variant)
            for w in knobs.warps {
                for k in knobs.keysPerTile {
                    for s in knobs.stages {
                        for t in tensorCoreTilesPerSplit { list.append(AttentionConfig(variant, warps: w, keysPerTile: k, stages: s, tilesPerSplit: t)) }
                    }
                }
            }
        }
        for w in rowWarps { list.append(AttentionConfig(.rowWarp, warps: w)) }
        for w in rowWarps { list.append(AttentionConfig(.unfused, warps: w)) }
        return list
    }

    /// `tc.w4.k64.s2`, `tc.w4.k64.s2.t8` (split at 8 tiles), `wg.w4.k64.s2`, `rw.w4`, `unfused.w4`.
    package var identifier: String {
        switch variant {
        case .tensorCore, .warpGroup:
            "\(variant.rawValue).w\(warps).k\(keysPerTile).s\(stages)" + (tilesPerSplit > 0 ? ".t\(tilesPerSplit)" : "")
        case .rowWarp, .unfused: "\(variant.rawValue).w\(warps)"
        }
    }

    /// What the compiled kernel depends on: the identifier with the split length T replaced by
    /// `split` (T is a run-time knob, every T > 0 shares one kernel).
    package var kernelIdentifier: String {
        splits ? "\(variant.rawValue).w\(warps).k\(keysPerTile).s\(stages).split" : identifier
    }

    package var description: String { identifier }

    /// Parses ``identifier``.
    package init(parsing text: String) throws(AttentionConfigError) {
        let parts = text.split(separator: ".").map(String.init)
        func number(_ part: String, _ prefix: Character) throws(AttentionConfigError) -> Int {
            guard part.first == prefix, let value = Int(part.dropFirst()) else { throw .unparsable(text) }
            return value
        }
        guard let head = parts.first, let variant = Variant(rawValue: head) else { throw .unparsable(text) }
        switch (variant, parts.count) {
        case (.tensorCore, 4), (.tensorCore, 5), (.warpGroup, 4), (.warpGroup, 5):
            self.init(
                variant, warps: try number(parts[1], "w"), keysPerTile: try number(parts[2], "k"), stages: try number(parts[3], "s"),
                tilesPerSplit: parts.count == 5 ? try number(parts[4], "t") : 0)
        case (.rowWarp, 2), (.unfused, 2):
            self.init(variant, warps: try number(parts[1], "w"))
        default:
            throw .unparsable(text)
        }
    }
}
