import Foundation

extension GradientBoostedTrees {
    /// The trees of LightGBM's `dump_model()` JSON (its `tree_info` and `feature_names`; other
    /// keys are ignored, so a full dump and Sparrow's reduced model file both read).
    package init(dumpJSON data: Data) throws(LearnedModelError) {
        try self.init(try LearnedModelError.decode(Dump.self, from: data))
    }

    init(_ dump: Dump) throws(LearnedModelError) {
        var trees: [Tree] = []
        for (index, info) in dump.treeInfo.enumerated() {
            var tree = Tree()
            do {
                _ = try tree.add(info.treeStructure, features: dump.featureNames.count)
            } catch {
                throw .badTree(index: index, reason: error.reason)
            }
            trees.append(tree)
        }
        self.init(trees: trees, featureNames: dump.featureNames)
    }

    /// The parts of `dump_model()` evaluation reads.
    struct Dump: Decodable {
        var featureNames: [String]
        var treeInfo: [TreeInfo]

        enum CodingKeys: String, CodingKey {
            case featureNames = "feature_names"
            case treeInfo = "tree_info"
        }
    }

    struct TreeInfo: Decodable {
        var treeStructure: Node

        enum CodingKeys: String, CodingKey {
            case treeStructure = "tree_structure"
        }
    }

    /// A split or a leaf of the dump.
    indirect enum Node: Decodable {
        case leaf(Double)
        case split(
            feature: Int, threshold: Double, decision: String, defaultLeft: Bool, missing: MissingType, left: Node,
            right: Node)

        enum CodingKeys: String, CodingKey {
            case leafValue = "leaf_value"
            case splitFeature = "split_feature"
            case threshold
            case decisionType = "decision_type"
            case defaultLeft = "default_left"
            case missingType = "missing_type"
            case leftChild = "left_child"
            case rightChild = "right_child"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            guard c.contains(.splitFeature) else {
                self = .leaf(try c.decode(Double.self, forKey: .leafValue))
                return
            }
            self = .split(
                feature: try c.decode(Int.self, forKey: .splitFeature),
                // A categorical split's threshold is text ("1||3"): decoded as NaN, refused below.
                threshold: (try? c.decode(Double.self, forKey: .threshold)) ?? .nan,
                decision: try c.decode(String.self, forKey: .decisionType),
                defaultLeft: try c.decode(Bool.self, forKey: .defaultLeft),
                missing: try c.decode(MissingType.self, forKey: .missingType),
                left: try c.decode(Node.self, forKey: .leftChild), right: try c.decode(Node.self, forKey: .rightChild))
        }
    }

    /// Why a tree of the dump cannot be evaluated.
    struct TreeError: Error {
        var reason: String
    }
}

extension GradientBoostedTrees.Tree {
    /// Appends `node`'s subtree; returns its reference (a node index, or `~leaf` for a leaf).
    mutating func add(_ node: GradientBoostedTrees.Node, features: Int) throws(GradientBoostedTrees.TreeError) -> Int {
        switch node {
        case let .leaf(value):
            guard value.isFinite else { throw .init(reason: "leaf value \(value)") }
            leaves.append(value)
            return ~(leaves.count - 1)
        case let .split(feature, threshold, decision, defaultLeft, missing, left, right):
            guard decision == "<=" else { throw .init(reason: "decision type \(decision) (only numerical <= splits)") }
            guard (0..<features).contains(feature) else { throw .init(reason: "split feature \(feature) of \(features)") }
            guard !threshold.isNaN else { throw .init(reason: "threshold is not a number") }
            let index = self.feature.count
            self.feature.append(feature)
            self.threshold.append(threshold)
            self.defaultLeft.append(defaultLeft)
            self.missing.append(missing)
            self.left.append(0)
            self.right.append(0)
            let leftReference = try add(left, features: features)
            let rightReference = try add(right, features: features)
            self.left[index] = leftReference
            self.right[index] = rightReference
            return index
        }
    }
}
