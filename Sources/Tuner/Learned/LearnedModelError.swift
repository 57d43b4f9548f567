import Foundation

/// Why a learned cost model file cannot be used.
package enum LearnedModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON does not decode as a model file.
    case malformed(String)
    /// The file's format or version is not one this Sparrow reads.
    case unsupportedFormat(String)
    /// A tree uses something the evaluator does not support, or is inconsistent.
    case badTree(index: Int, reason: String)
    /// The model was trained on other features than ``SpMMFeatures/names``.
    case featureMismatch(expected: [String], found: [String])

    package var description: String {
        switch self {
        case let .malformed(reason): "not a cost model file: \(reason)"
        case let .unsupportedFormat(format): "unsupported cost model format \(format)"
        case let .badTree(index, reason): "tree \(index): \(reason)"
        case let .featureMismatch(expected, found):
            "the model's features (\(found.count): \(found.prefix(4).joined(separator: ", ")) ...) are not Sparrow's "
                + "(\(expected.count): \(expected.prefix(4).joined(separator: ", ")) ...): retrain it with scripts/train-cost-model.py"
        }
    }
}

extension LearnedModelError {
    /// `type` decoded from the JSON `data`, or ``malformed(_:)`` with the decoder's reason.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(LearnedModelError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw .malformed("\(error)")
        }
    }
}
