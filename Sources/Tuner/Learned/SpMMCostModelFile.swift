import Foundation

/// A learned SpMM cost model as `scripts/train-cost-model.py` writes it: LightGBM's trees
/// (``GradientBoostedTrees``), the features they were trained on (``SpMMFeatures/names``, or
/// its first names up to ``SpMMFeatures/requiredNames`` for a model trained before later
/// features were appended), how the trees' sum becomes a score (an optional hand-model base
/// margin, the direction), and the range of each problem feature seen in training.
package struct SpMMCostModelFile: Sendable {
    /// The trees.
    package let trees: GradientBoostedTrees
    /// What was trained (`"lambdarank on hand"`).
    package let variant: String
    /// Whether a higher score means a faster config (lambdarank) or a lower one (regression).
    package let higherIsBetter: Bool
    /// The score is `baseCoefficient x feature[baseFeature]` plus the trees' sum.
    package let baseFeature: Int?
    package let baseCoefficient: Double
    /// Per problem feature (by index), the values seen in training.
    package let problemRanges: [Int: ClosedRange<Double>]
    /// One line on the training data (`"44761 trials of 110 problems (rn50 60, ...)"`).
    package let trainedOn: String
    /// Whether the model was trained with the `row_order` feature: one that was not cannot rank
    /// the row-order knob (LearnedCostModel+UntrainedFamilies.swift).
    package let knowsRowOrder: Bool

    /// The model file `data` (JSON); throws when it is not one, or was trained on other features.
    package init(json data: Data) throws(LearnedModelError) {
        let header = try LearnedModelError.decode(Header.self, from: data)
        guard header.format == "sparrow-gbdt", header.version == 1 else {
            throw .unsupportedFormat("\(header.format) version \(header.version)")
        }
        // The names are Sparrow's, or a prefix holding every required one: the trees index features
        // by position, so features appended later are simply never read.
        let known = header.featureNames.count >= SpMMFeatures.requiredNames.count
            && header.featureNames == Array(SpMMFeatures.names.prefix(header.featureNames.count))
        guard known else {
            throw .featureMismatch(expected: SpMMFeatures.names, found: header.featureNames)
        }
        knowsRowOrder = header.featureNames.contains("row_order")
        trees = try GradientBoostedTrees(dumpJSON: data)
        variant = header.variant
        higherIsBetter = header.higherIsBetter
        let names = SpMMFeatures.names
        if let margin = header.baseMargin, margin.coefficient != 0 {
            guard let index = names.firstIndex(of: margin.feature) else {
                throw .malformed("base margin feature \(margin.feature) is not a feature")
            }
            baseFeature = index
            baseCoefficient = margin.coefficient
        } else {
            baseFeature = nil
            baseCoefficient = 0
        }
        var ranges: [Int: ClosedRange<Double>] = [:]
        for (name, bounds) in header.problemFeatureRanges {
            guard let index = SpMMFeatures.problemNames.firstIndex(of: name), bounds.count == 2, bounds[0] <= bounds[1] else {
                throw .malformed("problem feature range \(name): \(bounds)")
            }
            ranges[index] = bounds[0]...bounds[1]
        }
        problemRanges = ranges
        let families = header.trainedOn.families.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        trainedOn = "\(header.trainedOn.trials) trials of \(header.trainedOn.problems) problems (\(families.joined(separator: ", ")))"
    }

    /// The cost of a feature vector: lower is faster.
    package func cost(_ features: [Double]) -> Double {
        var score = trees.rawScore(features)
        if let baseFeature { score += baseCoefficient * features[baseFeature] }
        return higherIsBetter ? -score : score
    }

    /// Why the model should not rank a problem with these ``SpMMFeatures/problemValues``, or nil:
    /// a pattern feature it cannot know (NaN), or a problem feature outside what training saw by
    /// more than a margin: for log2 sizes a quarter of the span and at least one doubling; for
    /// the others a quarter of the span and at least 5% of the larger bound's magnitude (at
    /// least 0.05), which keeps a discrete feature (the element type's bytes, bf16 or not) to
    /// the values seen.
    package func outOfRange(_ problemValues: [Double]) -> String? {
        for (index, value) in problemValues.enumerated() {
            let name = SpMMFeatures.problemNames[index]
            guard !value.isNaN else { return "\(name) is unknown (no pattern statistics)" }
            guard let range = problemRanges[index] else { continue }
            let span = range.upperBound - range.lowerBound
            let scale = max(1, abs(range.lowerBound), abs(range.upperBound))
            let margin = name.hasPrefix("log2_") ? max(1, span / 4) : max(span / 4, 0.05 * scale)
            guard value >= range.lowerBound - margin, value <= range.upperBound + margin else {
                return "\(name) = \(value) is outside the trained \(range.lowerBound)...\(range.upperBound)"
            }
        }
        return nil
    }

    /// The keys of the model file beyond LightGBM's trees.
    struct Header: Decodable {
        struct Margin: Decodable {
            var feature: String
            var coefficient: Double
        }

        struct Training: Decodable {
            var trials: Int
            var problems: Int
            var families: [String: Int]
        }

        var format: String
        var version: Int
        var variant: String
        var higherIsBetter: Bool
        var baseMargin: Margin?
        var featureNames: [String]
        var problemFeatureRanges: [String: [Double]]
        var trainedOn: Training

        enum CodingKeys: String, CodingKey {
            case format, version, variant
            case higherIsBetter = "higher_is_better"
            case baseMargin = "base_margin"
            case featureNames = "feature_names"
            case problemFeatureRanges = "problem_feature_ranges"
            case trainedOn = "trained_on"
        }
    }
}

extension SpMMCostModelFile {
    /// The model shipped with Sparrow (``shippedJSON``), or why there is none.
    package static let shipped: Result<SpMMCostModelFile, LearnedModelError> = {
        guard let text = shippedJSON else {
            return .failure(.malformed("no trained model ships with this build (run scripts/train-cost-model.py on recorded trials)"))
        }
        return Result { () throws(LearnedModelError) in try SpMMCostModelFile(json: Data(text.utf8)) }
    }()
}
