import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The split tensor-core kernel's plan (``AttentionSplitPlan``): tile walks counted by hand,
/// splits of at most T tiles differing by at most one, groups first, and the kernel rendered for it.
struct AttentionSplitPlanTests {
    static func acsr(_ spelling: String, _ length: Int) throws -> ACSR {
        try ACSR(try AttentionPattern(parsing: spelling), length: length)
    }

    @Test func tileWalksMatchHandCounts() throws {
        // window 8 (|i - j| <= 4), 32 queries a block, 32-key tiles: rows 0-31 span keys 0-35 (2 tiles),
        // 32-63 span 28-67 (2), 64-95 span 60-99 (2), 96-99 span 92-99 (1).
        #expect(AttentionSplitPlan.blockTiles(pattern: try Self.acsr("window:8", 100), viewStride: 1, queriesPerBlock: 32, keysPerTile: 32) == [2, 2, 2, 1])
        // global 2 + window 0 (itself): rows 0 and 1 hold all 100 keys, the others keys 0, 1 and i.
        // Block 0: slot 0 spans 0-99 (4 tiles), slot 1 (rows 2-31 themselves) 2-31 (1). Blocks 1-3:
        // slot 0 spans 0-1 (1), slot 1 the block's own rows (1).
        let global = try Self.acsr("global:2+window:0", 100)
        #expect(global.segmentsPerRow == 2)
        #expect(AttentionSplitPlan.blockTiles(pattern: global, viewStride: 1, queriesPerBlock: 32, keysPerTile: 32) == [5, 2, 2, 2])
        // With 64-key tiles and 64 queries a block: block 0 walks 2 + 1 tiles, block 1 (rows 64-99) 1 + 1.
        #expect(AttentionSplitPlan.blockTiles(pattern: global, viewStride: 1, queriesPerBlock: 64, keysPerTile: 64) == [3, 2])
        // Blocked 16: every block of 32 queries walks its own 32 keys (the last block its 4).
        #expect(AttentionSplitPlan.blockTiles(pattern: try Self.acsr("blocked:16", 100), viewStride: 1, queriesPerBlock: 32, keysPerTile: 32) == [1, 1, 1, 1])
        // causal 0: no row has a key, no block walks a tile.
        #expect(AttentionSplitPlan.blockTiles(pattern: try Self.acsr("causal:0", 40), viewStride: 1, queriesPerBlock: 32, keysPerTile: 32) == [0, 0])
        // dilated 6 at stride 4 over 33 tokens, view stride 4: residue classes of 9, 8, 8, 8 queries, one
        // block each; a class's keys are its own view positions 0-8 (or 0-7): one tile of 32.
        let dilated = try Self.acsr("dilated:6:4", 33)
        #expect(AttentionSplitPlan.blockTiles(pattern: dilated, viewStride: 4, queriesPerBlock: 32, keysPerTile: 32) == [1, 1, 1, 1])
    }

    @Test func longBlocksSplitIntoEvenGroupsListedFirst() {
        let plan = AttentionSplitPlan(blockTiles: [10, 3, 0, 9], queriesPerBlock: 64, keysPerTile: 64, tilesPerSplit: 4)
        // Block 0: 10 tiles over ceil(10 / 4) = 3 splits of 4, 3, 3; block 3: 9 over 3 of 3 each.
        typealias Item = AttentionSplitPlan.Item
        #expect(plan.items == [
            Item(block: 0, firstTile: 0, tileCount: 4, partial: 0, group: 0, groupFirstPartial: 0, groupSplits: 3),
            Item(block: 0, firstTile: 4, tileCount: 3, partial: 1, group: 0, groupFirstPartial: 0, groupSplits: 3),
            Item(block: 0, firstTile: 7, tileCount: 3, partial: 2, group: 0, groupFirstPartial: 0, groupSplits: 3),
            Item(block: 3, firstTile: 0, tileCount: 3, partial: 3, group: 1, groupFirstPartial: 3, groupSplits: 3),
            Item(block: 3, firstTile: 3, tileCount: 3, partial: 4, group: 1, groupFirstPartial: 3, groupSplits: 3),
            Item(block: 3, firstTile: 6, tileCount: 3, partial: 5, group: 1, groupFirstPartial: 3, groupSplits: 3),
            Item(block: 1, firstTile: 0, tileCount: 3),
            Item(block: 2, firstTile: 0, tileCount: 0),
        ])
        #expect(plan.partials == 6 && plan.groups == 2 && plan.longestItem == 4)
        #expect(plan.words.count == 8 * AttentionSplitPlan.wordsPerItem)
        #expect(Array(plan.words.prefix(8)) == [0, 0, 4, 0, 0, 0, 3, 0])
        #expect(Array(plan.words.suffix(8)) == [2, 0, 0, -1, -1, -1, 1, 0])
        // A walk of exactly T tiles stays whole; T + 1 splits in two (1 tile apart at most).
        let edge = AttentionSplitPlan(blockTiles: [4, 5], queriesPerBlock: 64, keysPerTile: 64, tilesPerSplit: 4)
        #expect(edge.items.map(\.tileCount) == [3, 2, 4] && edge.items.map(\.block) == [1, 1, 0])
    }

    @Test func everySplitCoversItsBlockOnceForGlobalRowsAtLength3000() throws {
        let pattern = try Self.acsr("global:16+window:32", 3000)
        for t in AttentionConfig.tensorCoreTilesPerSplit where t > 0 {
            let config = AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: t)
            let plan = try AttentionSplitPlan(pattern: pattern, viewStride: 1, config: config)
            // Block 0 (rows 0-127): slot 0 spans every key (47 tiles), slot 1 (rows 16-127's windows
            // past the global keys) keys 16-143 (2).
            #expect(plan.blockTiles.first == 49)
            var covered = [Int](repeating: 0, count: plan.blockTiles.count)
            for item in plan.items {
                #expect(item.tileCount <= t || item.partial < 0)
                #expect(item.firstTile == covered[item.block])
                covered[item.block] += item.tileCount
            }
            #expect(covered == plan.blockTiles)
            #expect(plan.items.count == plan.blockTiles.count - plan.groups + plan.partials)
        }
        #expect(throws: AttentionConfigError.self) {
            try AttentionSplitPlan(pattern: pattern, viewStride: 1, config: AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2))
        }
    }

    @Test func theSplitKernelIsRenderedForItsPlanAndSharedAcrossT() throws {
        let pattern = try Self.acsr("global:16+window:32", 3000)
        let p = try AttentionProblem(headSize: 64, elementType: .bf16, device: .sm90)
        let shape = try AttentionShape(length: 3000, batchHeads: 4, segmentsPerRow: pattern.segmentsPerRow, nnz: pattern.nnz)
        let t8 = AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: 8)
        let t32 = AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2, tilesPerSplit: 32)
        let plan8 = try AttentionSplitPlan(pattern: pattern, viewStride: 1, config: t8)
        let plan32 = try AttentionSplitPlan(pattern: pattern, viewStride: 1, config: t32)
        let a = try AttentionKernels.fused(p, shape, t8, plan: plan8)
        let b = try AttentionKernels.fused(p, shape, t32, plan: plan32)
        #expect(a.grid == LaunchDimensions(x: plan8.items.count, y: 4))
        #expect(a.entryPoint == "sparrow_attention_fused_bf16_d64_tc_w8_k64_s2_split" && a.entryPoint == b.entryPoint)
        #expect(a.source.contains("cfg=tc.w8.k64.s2.t8") && a.source.contains("split T=8:") && a.source.contains("tile_at("))
        func body(_ s: String) -> String { s.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("//") }.joined(separator: "\n") }
        #expect(body(a.source) == body(b.source))
        let unsplit = try AttentionKernels.fused(p, shape, AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2))
        #expect(!unsplit.source.contains("tile_at(") && !unsplit.source.contains("counters"))
        #expect(throws: AttentionConfigError.self) { try AttentionKernels.fused(p, shape, t8) }
        #expect(throws: AttentionConfigError.self) { try AttentionKernels.fused(p, shape, t32, plan: plan8) }
        #expect(throws: AttentionConfigError.self) {
            try AttentionKernels.fused(p, shape, AttentionConfig(.tensorCore, warps: 8, keysPerTile: 64, stages: 2), plan: plan8)
        }
    }

    @Test func configsStoredBeforeTheKnobDecodeAsUnsplit() throws {
        let old = Data(#"{"variant":"tc","warps":4,"keysPerTile":64,"stages":2}"#.utf8)
        #expect(try JSONDecoder().decode(AttentionConfig.self, from: old) == AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2))
        let split = AttentionConfig(.tensorCore, warps: 4, keysPerTile: 64, stages: 2, tilesPerSplit: 32)
        #expect(try JSONDecoder().decode(AttentionConfig.self, from: try JSONEncoder().encode(split)) == split)
        #expect(split.identifier == "tc.w4.k64.s2.t32" && split.kernelIdentifier == "tc.w4.k64.s2.split")
    }
}
