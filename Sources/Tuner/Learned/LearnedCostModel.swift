import KernelGen

/// Ranks GPU SpMM candidates with a learned model (``SpMMCostModelFile``) over
/// ``SpMMFeatures``, and with the hand model where the learned one should not be trusted: a
/// problem whose pattern statistics are unknown or whose features lie outside the ranges the
/// model file declares (`scripts/train-cost-model.py` declares the element size only).
/// A whole problem is ranked by one model or the other, never a mix.
package struct LearnedCostModel: CostModel {
    /// The learned model.
    package let file: SpMMCostModelFile
    /// The pattern statistics of the matrix being ranked (see ``describing(_:)``).
    package let pattern: PatternStatistics?
    /// The model used where the learned one is not.
    package let fallback: HandCostModel

    /// A model ranking with `file`, for matrices whose statistics are `pattern`.
    package init(_ file: SpMMCostModelFile, pattern: PatternStatistics? = nil, fallback: HandCostModel = HandCostModel()) {
        self.file = file
        self.pattern = pattern
        self.fallback = fallback
    }

    /// The same model for the matrix whose statistics are `pattern`.
    package func describing(_ pattern: PatternStatistics?) -> LearnedCostModel {
        LearnedCostModel(file, pattern: pattern, fallback: fallback)
    }

    package var name: String { "learned model (\(file.variant), \(file.trees.trees.count) trees; hand model outside its range)" }

    /// Why `problem` is ranked by the hand model instead, or nil when the learned one ranks it.
    package func fallbackReason(for problem: SpMMProblem) -> String? {
        file.outOfRange(SpMMFeatures(problem, pattern: pattern, hand: fallback).problemValues)
    }

    package func estimate(_ config: SpMMConfig, for problem: SpMMProblem) -> Double {
        estimates([config], for: problem)[0]
    }

    /// The learned costs of `configs` (the problem's features computed once; families the model
    /// was not trained on keep their hand order, see LearnedCostModel+UntrainedFamilies.swift),
    /// or the hand model's estimates when ``fallbackReason(for:)`` says so.
    package func estimates(_ configs: [SpMMConfig], for problem: SpMMProblem) -> [Double] {
        let features = SpMMFeatures(problem, pattern: pattern, hand: fallback)
        guard file.outOfRange(features.problemValues) == nil else {
            return configs.map { fallback.estimatedNanoseconds($0, for: problem) }
        }
        return costs(configs, for: problem) { file.cost(features.vector($0)) }
    }
}
