/// A defect in a tokenizer file (`tokenizer.json`) or in what it was asked to do, naming the file
/// and what is wrong.
package struct TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file read, when there is one.
    package var path: String?
    package var defect: Defect

    package enum Defect: Sendable, Equatable {
        /// The file cannot be read.
        case unreadable(reason: String)
        /// The file is not JSON, or a field has the wrong type or is missing (`codingPath` says where).
        case invalidJSON(codingPath: String, reason: String)
        /// A component type Sparrow does not implement (say `normalizer` of type `Sequence`).
        case unsupported(component: String, type: String)
        /// A token the pipeline needs (`unk_token`, a template's special token) is not in the vocabulary.
        case missingToken(role: String, token: String)
        /// The vocabulary's ids are not 0..<count (an id is repeated or missing).
        case vocabularyIDs(count: Int, missing: Int)
        /// An added token option Sparrow does not implement.
        case unsupportedAddedToken(token: String, option: String)
        /// The maximum length leaves no room for text after the special tokens.
        case maxLengthTooSmall(maxLength: Int, specialTokens: Int)
    }

    package init(path: String?, _ defect: Defect) {
        self.path = path
        self.defect = defect
    }

    package var description: String {
        let what: String = switch defect {
        case let .unreadable(reason): "cannot read the tokenizer file (\(reason))"
        case let .invalidJSON(codingPath, reason):
            "invalid tokenizer file" + (codingPath.isEmpty ? "" : " at \(codingPath)") + ": \(reason)"
        case let .unsupported(component, type): "\(component) of type '\(type)' is not supported"
        case let .missingToken(role, token): "the \(role) '\(token)' is not in the vocabulary"
        case let .vocabularyIDs(count, missing):
            "the vocabulary's \(count) ids are not 0..<\(count): id \(missing) is missing (repeated ids, or keys equal under Unicode canonical equivalence)"
        case let .unsupportedAddedToken(token, option): "added token '\(token)': \(option) is not supported"
        case let .maxLengthTooSmall(maxLength, specialTokens):
            "maximum length \(maxLength) leaves no room for text after \(specialTokens) special tokens"
        }
        return path.map { "\($0): \(what)" } ?? what
    }
}
