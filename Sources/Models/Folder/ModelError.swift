/// A defect in a model folder (its `config.json`, its weights) or a request the model cannot serve,
/// naming the file or tensor and what is wrong.
package struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file or folder concerned.
    package var path: String
    package var defect: Defect

    package enum Defect: Sendable, Equatable {
        /// A file the model needs is absent or cannot be read.
        case unreadable(reason: String)
        /// A JSON file is malformed or lacks a field (`codingPath` says where).
        case invalidJSON(codingPath: String, reason: String)
        /// A configuration value Sparrow does not implement, or one out of range.
        case unsupported(field: String, value: String)
        /// A tensor the architecture needs is not in the weights file.
        case missingTensor(name: String)
        /// A tensor has another shape than the configuration implies.
        case tensorShape(name: String, expected: [Int], actual: [Int])
        /// A tensor has an element type Sparrow cannot use for it.
        case tensorType(name: String, dtype: String)
        /// Token ids outside the vocabulary, or a batch longer than the position table.
        case input(String)
    }

    package init(path: String, _ defect: Defect) {
        self.path = path
        self.defect = defect
    }

    package var description: String {
        let what: String = switch defect {
        case let .unreadable(reason): reason
        case let .invalidJSON(codingPath, reason): "invalid JSON" + (codingPath.isEmpty ? "" : " at \(codingPath)") + ": \(reason)"
        case let .unsupported(field, value): "\(field) = \(value) is not supported"
        case let .missingTensor(name): "tensor '\(name)' is missing"
        case let .tensorShape(name, expected, actual): "tensor '\(name)' has shape \(actual), expected \(expected)"
        case let .tensorType(name, dtype): "tensor '\(name)' has element type \(dtype), expected a floating-point type"
        case let .input(reason): reason
        }
        return "\(path): \(what)"
    }
}
