import KernelGen

/// What the attention space is tuned for: the kernels' compile-time problem, the run shape, and
/// the pattern's mean keys per row (what the rules and the hand model read of the pattern, with
/// the shape's longest row).
package struct AttentionTuningProblem: Sendable, Hashable, CustomStringConvertible {
    package var problem: AttentionProblem
    package var shape: AttentionShape
    package var meanKeysPerRow: Double

    package init(problem: AttentionProblem, shape: AttentionShape) {
        self.problem = problem
        self.shape = shape
        meanKeysPerRow = Double(shape.nnz) / Double(max(1, shape.length))
    }

    package var description: String { "\(problem) \(shape)" }
}

/// The sparse attention kernels as a ``TuningSpace``: the second op beside SpMM, searched by the
/// same ``Search`` with its own candidates, legality and rules.
package struct AttentionSpace: TuningSpace {
    package typealias Problem = AttentionTuningProblem
    package typealias Config = AttentionConfig

    /// The variants enumerated (all by default; `[.tensorCore, .warpGroup, .rowWarp]` for the fused ones).
    package var variants: Set<AttentionConfig.Variant>

    package init(variants: Set<AttentionConfig.Variant> = Set(AttentionConfig.Variant.allCases)) {
        self.variants = variants
    }

    package var name: String { "attention" }

    package func enumerate(_ problem: AttentionTuningProblem) -> [AttentionConfig] {
        AttentionConfig.all.filter { variants.contains($0.variant) }
    }

    package func legalityError(_ config: AttentionConfig, for problem: AttentionTuningProblem) -> (any Error)? {
        do {
            try config.validate(for: problem.problem)
            if config.usesTensorCores, problem.shape.segmentsPerRow > AttentionConfig.maxSegmentsPerRow {
                throw AttentionShapeError.segmentsPerRow(problem.shape.segmentsPerRow, limit: AttentionConfig.maxSegmentsPerRow)
            }
            return nil
        } catch {
            return error
        }
    }

    package var rules: [PruningRule<AttentionTuningProblem, AttentionConfig>] {
        [
            PruningRule(
                "tile-wider-than-block-span",
                reason: "a key tile at least twice a block's key span (queries per block + mean keys per row) computes masked columns; a half-width tile covers the span",
                provenance: .algorithm("masked tile columns")
            ) { config, problem in
                guard config.usesTensorCores else { return false }
                let span = Double(config.queriesPerBlock) + problem.meanKeysPerRow
                return Double(config.keysPerTile) >= 2 * span && config.keysPerTile > AttentionConfig.tensorCoreKeysPerTile[0]
            },
            PruningRule(
                "split-without-long-rows",
                reason: "with no row longer than 3x the mean, blocks walk about equal spans and the grid is balanced unsplit; splits would only add partial traffic and merges",
                provenance: .algorithm("flash-decoding split over keys: load balance of long rows")
            ) { config, problem in
                config.splits && Double(problem.shape.longestRow) < 3 * problem.meanKeysPerRow
            },
        ]
    }
}
