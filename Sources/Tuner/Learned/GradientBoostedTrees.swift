/// A gradient-boosted tree ensemble as LightGBM's `dump_model()` writes it, evaluated in Swift:
/// the raw score of a feature vector is the sum of one leaf value per tree, in tree order (as
/// LightGBM's `predict(raw_score=True)` sums them).
///
/// Numerical splits only (`decision_type` `<=`), with LightGBM's missing-value rules: a NaN
/// feature is 0 unless the split's `missing_type` is `NaN`; a split whose missing type is `NaN`
/// (for NaN) or `Zero` (for |x| <= 1e-35) sends the value where `default_left` says; otherwise
/// `x <= threshold` goes left.
package struct GradientBoostedTrees: Sendable, Hashable {
    /// How a split treats missing values (LightGBM's `missing_type`).
    package enum MissingType: String, Sendable, Hashable, Codable {
        case none = "None"
        case zero = "Zero"
        case nan = "NaN"
    }

    /// One tree, flattened: node `i` splits on `feature[i]`; a child below 0 is leaf `~child`.
    package struct Tree: Sendable, Hashable {
        var feature: [Int] = []
        var threshold: [Double] = []
        var defaultLeft: [Bool] = []
        var missing: [MissingType] = []
        var left: [Int] = []
        var right: [Int] = []
        var leaves: [Double] = []

        /// The leaf value `x` reaches.
        func value(_ x: [Double]) -> Double {
            // A tree of one leaf has no split.
            guard !feature.isEmpty else { return leaves[0] }
            var node = 0
            while true {
                let index = feature[node]
                var value = index < x.count ? x[index] : .nan
                let missingType = missing[node]
                if value.isNaN && missingType != .nan { value = 0 }
                let goesLeft =
                    (missingType == .zero && abs(value) <= GradientBoostedTrees.zeroThreshold)
                        || (missingType == .nan && value.isNaN)
                    ? defaultLeft[node] : value <= threshold[node]
                let next = goesLeft ? left[node] : right[node]
                if next < 0 { return leaves[~next] }
                node = next
            }
        }
    }

    /// LightGBM's `kZeroThreshold`: what a `Zero` missing type counts as zero.
    static let zeroThreshold = 1e-35

    /// The trees, in boosting order.
    package let trees: [Tree]
    /// The features' names, in vector order, as the model file lists them.
    package let featureNames: [String]

    package init(trees: [Tree], featureNames: [String]) {
        self.trees = trees
        self.featureNames = featureNames
    }

    /// The sum of the trees' leaf values for `x` (a vector in ``featureNames``' order; a
    /// feature beyond its end counts as missing).
    package func rawScore(_ x: [Double]) -> Double {
        var sum = 0.0
        for tree in trees { sum += tree.value(x) }
        return sum
    }
}
