import KernelGen

extension SpMMSpace {
    /// Slices of K per strip of the bitmap section.
    static let bitmapSliceChoices = [2, 4, 8, 16]

    /// The bitmap section: 1, 2 or 4 strips per block, K split 2-16 ways across its warps (at most
    /// 32 warps), every column tile, chunk and ring depth: 432 configs before legality (fp16 and
    /// bf16 only) and pruning (``SpMMPruningRule/bitmapColumnsCoverM`` keeps one or two column
    /// tiles per problem).
    func bitmapConfigs(for problem: SpMMProblem) -> [SpMMConfig] {
        guard problem.elementType == .f16 || problem.elementType == .bf16 else { return [] }
        var list: [SpMMConfig] = []
        for strips in BitmapConfig.stripChoices {
            for slices in Self.bitmapSliceChoices {
                for columns in BitmapConfig.columnChoices {
                    for chunk in BitmapConfig.chunkChoices {
                        for stages in BitmapConfig.stageChoices {
                            list.append(.bitmap(BitmapConfig(strips: strips, slices: slices, columns: columns, chunk: chunk, stages: stages)))
                        }
                    }
                }
            }
        }
        return list
    }
}
