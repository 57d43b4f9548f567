import KernelGen

// Rules for the compact family (memory-bound, narrow X): each removes configs that read the
// same bytes as a kept one with less parallelism or more staging.
extension SpMMPruningRule {
    /// A chunk above the smallest one that covers K.
    package static let compactChunkCoversK = SpMMPruningRule(
        "compact-chunk-covers-k",
        reason: "a compact chunk above the smallest one covering K stages the same X in one step: the same kernel under another name (SpMMSpace.coveringChunkName)",
        provenance: .algorithm("staging work")) { config, problem in
        guard let compact = config.asCompact else { return false }
        return compact.chunk > SpMMSpace.coveringChunk(for: problem) ?? Int.max
    }

    /// Blocks with fewer segments than warps.
    package static let compactIdleWarps = SpMMPruningRule(
        "compact-idle-warps",
        reason: "a compact block with fewer row segments than warps leaves warps idle while W streams; fewer warps or a split keeps them busy",
        provenance: .algorithm("idle warps")) { config, problem in
        guard let compact = config.asCompact else { return false }
        return compact.rowsPerBlock(for: problem) * compact.split < compact.warps
    }

    /// A split whose segments are shorter than one warp round.
    package static let compactShortSegments = SpMMPruningRule(
        "compact-short-segments",
        reason: "a compact row split whose mean segment is shorter than one warp round (32 lanes x vector x unroll entries) adds a reduction and reads no faster",
        provenance: .algorithm("warp round length")) { config, problem in
        guard let compact = config.asCompact, compact.split > 1 else { return false }
        return problem.meanRowLength / Double(compact.split) < Double(32 * compact.vectorWidth * compact.unroll)
    }

    /// An entry vector below the widest legal one when the rows are long.
    package static let compactNarrowVector = SpMMPruningRule(
        "compact-narrow-vector",
        reason: "compact entry vectors below the widest legal width move the same bytes in more, smaller loads; kept only for rows shorter than a round of wide vectors",
        provenance: .algorithm("instruction count per byte")) { config, problem in
        guard let compact = config.asCompact else { return false }
        let widest = CompactConfig.vectorWidths.last { $0 * problem.elementType.byteWidth <= 16 } ?? 2
        return compact.vectorWidth < widest && problem.meanRowLength >= Double(32 * widest)
    }
}
