import KernelGen

extension SpMMSpace {
    /// The 2:4 section, for W pruned 2:4 at fp16 / bf16: 1, 2 or 4 strips per block, K split 2-16
    /// ways across its warps, every column tile, chunk and ring depth: 432 configs before legality
    /// and pruning (the bitmap family's rules, ``SpMMPruningRule/bitmapColumnsCoverM`` and the
    /// others, apply to it as well: the two share the strip-and-slice shape).
    func twoFourConfigs(for problem: SpMMProblem) -> [SpMMConfig] {
        guard problem.twoFour, problem.elementType == .f16 || problem.elementType == .bf16 else { return [] }
        var list: [SpMMConfig] = []
        for strips in TwoFourConfig.stripChoices {
            for slices in Self.bitmapSliceChoices {
                for columns in TwoFourConfig.columnChoices {
                    for chunk in TwoFourConfig.chunkChoices {
                        for stages in TwoFourConfig.stageChoices {
                            list.append(.twoFour(TwoFourConfig(strips: strips, slices: slices, columns: columns, chunk: chunk, stages: stages)))
                        }
                    }
                }
            }
        }
        return list
    }
}
