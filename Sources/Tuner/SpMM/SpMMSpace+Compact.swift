import KernelGen

extension SpMMSpace {
    /// Warps per block of the compact section.
    static let compactWarpChoices = [8, 16]
    /// Staged rows of K per chunk of the compact section (X chunks of 8-256 KiB at m = 16 fp16).
    static let compactChunkChoices = [2048, 4096, 8192, 16384]

    /// The smallest chunk choice that stages all of `problem`'s K at once (nil when none does).
    /// Every compact config with a larger chunk stages the same rows in one step: its kernel is
    /// the one with this chunk, under another name.
    static func coveringChunk(for problem: SpMMProblem) -> Int? { compactChunkChoices.first { $0 >= problem.k } }

    /// `config` with a chunk above ``coveringChunk(for:)`` named by that chunk (the same kernel);
    /// every other config as it is.
    static func coveringChunkName(_ config: SpMMConfig, for problem: SpMMProblem) -> SpMMConfig {
        guard var compact = config.asCompact, let covering = coveringChunk(for: problem), compact.chunk > covering else { return config }
        compact.chunk = covering
        return .compact(compact)
    }

    /// The compact section: both formats, 8 or 16 warps, entry vectors of 4 and 8 (the widest
    /// legal and half of it), 1, 2 or 4 loads in flight per lane, rows split 1 or 2 ways (csr16
    /// also 4), 1 or 2 blocks per SM, chunks of 2048-16384 rows of K; whole rows also
    /// double-buffered (legal with one chunk), delta4's 8-entry vectors also through a cp.async ring
    /// of 3 or 4 stages. Only problems the kernel can serve (m <= 32) get any: legality removes the
    /// rest.
    func compactConfigs(for problem: SpMMProblem) -> [SpMMConfig] {
        guard problem.m <= CompactConfig.maxWidth else { return [] }
        var list: [SpMMConfig] = []
        for format in CompactConfig.IndexFormat.allCases {
            for warps in Self.compactWarpChoices {
                for vector in [4, 8] {
                    for unroll in CompactConfig.unrolls {
                        for split in format == .csr16 ? [1, 2, 4] : [1] {
                            for blocksPerSM in [1, 2] {
                                for chunk in Self.compactChunkChoices {
                                    for doubleBuffered in split == 1 ? [false, true] : [false] {
                                        let rings = doubleBuffered && format == .delta4 && vector == 8 ? CompactConfig.ringChoices : [0]
                                        for ringStages in rings {
                                            list.append(.compact(CompactConfig(
                                                format: format, warps: warps, vectorWidth: vector, unroll: unroll, split: split,
                                                blocksPerSM: blocksPerSM, chunk: chunk, doubleBuffered: doubleBuffered, ringStages: ringStages)))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return list
    }
}
