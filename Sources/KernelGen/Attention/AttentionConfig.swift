/// How an attention kernel is built: which variant, and its knobs. A plain value; which one is
/// fast is the Tuner's business.
///
/// - ``Variant/tensorCore``: fused, one block per (batch x head, block of `16 * warps` queries of
///   one residue class modulo the view stride); K and V tiles of `keysPerTile` keys go to shared
///   memory (`stages` buffers, `cp.async`), Q Kᵀ and P V on `mma.sync.m16n8k16` (fp16/bf16 in,
///   fp32 accumulation), the mask computed from the segments, an online softmax per row.
/// - ``Variant/rowWarp``: fused on CUDA cores, one warp per query row (`warps` rows per block),
///   lanes over 32 keys at a time for the scores and over the head's features for P V.
/// - ``Variant/unfused``: three kernels (SDDMM into fp32 scores at ACSR's sparse positions, row
///   softmax in place, SpMM of P with V), one warp per row, `warps` rows per block.
package struct AttentionConfig: Sendable, Hashable, Codable, CustomStringConvertible {
    package enum Variant: String, Sendable, Hashable, Codable, CaseIterable {
        case tensorCore = "tc"
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

    package init(_ variant: Variant, warps: Int, keysPerTile: Int = 32, stages: Int = 1) {
        self.variant = variant
        self.warps = warps
        self.keysPerTile = keysPerTile
        self.stages = stages
    }

    /// Knob values each variant is written for.
    package static let tensorCoreWarps = [2, 4, 8]
    package static let tensorCoreKeysPerTile = [32, 64, 128]
    package static let tensorCoreStages = [1, 2]
    package static let rowWarps = [1, 2, 4, 8]
    /// Most segments per row the tensor-core kernel keeps block ranges for (shared memory).
    package static let maxSegmentsPerRow = 8

    /// Every config of the space the kernels are written for.
    package static var all: [AttentionConfig] {
        var list: [AttentionConfig] = []
        for w in tensorCoreWarps {
            for k in tensorCoreKeysPerTile {
                for s in tensorCoreStages { list.append(AttentionConfig(.tensorCore, warps: w, keysPerTile: k, stages: s)) }
            }
        }
        for w in rowWarps { list.append(AttentionConfig(.rowWarp, warps: w)) }
        for w in rowWarps { list.append(AttentionConfig(.unfused, warps: w)) }
        return list
    }

    /// `tc.w4.k64.s2`, `rw.w4`, `unfused.w4`.
    package var identifier: String {
        switch variant {
        case .tensorCore: "tc.w\(warps).k\(keysPerTile).s\(stages)"
        case .rowWarp, .unfused: "\(variant.rawValue).w\(warps)"
        }
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
        case (.tensorCore, 4):
            self.init(.tensorCore, warps: try number(parts[1], "w"), keysPerTile: try number(parts[2], "k"), stages: try number(parts[3], "s"))
        case (.rowWarp, 2), (.unfused, 2):
            self.init(variant, warps: try number(parts[1], "w"))
        default:
            throw .unparsable(text)
        }
    }
}
