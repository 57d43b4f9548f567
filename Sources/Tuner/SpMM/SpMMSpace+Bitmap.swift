import KernelGen

extension SpMMSpace {
    /// Slices of K per strip of the strip/slice sections.
    static let bitmapSliceChoices = [2, 4, 8, 16]

    /// The bitmap section (fp16 / bf16): every strip count, K split 2-16 ways across a block's
    /// warps, every column tile, chunk, ring depth and K split over the grid: 1,296 configs before
    /// legality and pruning (``SpMMPruningRule/bitmapColumnsCoverM`` keeps one or two column tiles
    /// per problem, ``SpMMPruningRule/stripSliceSplitsFillDevice`` K splits only where the grid
    /// needs them).
    func bitmapConfigs(for problem: SpMMProblem) -> [SpMMConfig] {
        guard problem.elementType == .f16 || problem.elementType == .bf16 else { return [] }
        return stripSliceConfigs(BitmapConfig.self, SpMMConfig.bitmap)
    }

    /// The 2:4 section, for W pruned 2:4 at fp16 / bf16: as the bitmap section, with the 2:4
    /// family's knob values (3,072 configs before legality and pruning).
    func twoFourConfigs(for problem: SpMMProblem) -> [SpMMConfig] {
        guard problem.twoFour, problem.elementType == .f16 || problem.elementType == .bf16 else { return [] }
        return stripSliceConfigs(TwoFourConfig.self, SpMMConfig.twoFour)
    }

    /// The fragment-COO section (fp16 / bf16): as the bitmap section, with its own knob values
    /// (1,728 configs before legality and pruning).
    func fragmentCOOConfigs(for problem: SpMMProblem) -> [SpMMConfig] {
        guard problem.elementType == .f16 || problem.elementType == .bf16 else { return [] }
        return stripSliceConfigs(FragmentCOOConfig.self, SpMMConfig.fragmentCOO)
    }

    /// Every knob combination of a strip/slice family (slices from ``bitmapSliceChoices``).
    private func stripSliceConfigs<C: StripSliceConfig>(_ type: C.Type, _ wrap: (C) -> SpMMConfig) -> [SpMMConfig] {
        var list: [SpMMConfig] = []
        for strips in C.stripChoices {
            for slices in Self.bitmapSliceChoices {
                for columns in C.columnChoices {
                    for chunk in C.chunkChoices {
                        for stages in C.stageChoices {
                            for splits in C.splitChoices {
                                list.append(wrap(C(strips: strips, slices: slices, columns: columns, chunk: chunk, stages: stages, splits: splits)))
                            }
                        }
                    }
                }
            }
        }
        return list
    }
}
