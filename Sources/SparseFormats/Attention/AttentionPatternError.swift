/// A defect in an attention pattern or its compact spelling, naming the term and what is wrong.
public enum AttentionPatternError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The spelling is empty.
    case empty
    /// Two `+` with nothing between them, or a `+` at an end.
    case emptyTerm
    /// The term's kind (before the first `:`) is not one of window, causal, dilated, global, blocked.
    case unknownKind(term: String, kind: String)
    /// The term has fewer `:`-separated numbers than its kind takes.
    case missingParameter(term: String, expected: Int, found: Int)
    /// The term has more `:`-separated numbers than its kind takes.
    case extraParameter(term: String, expected: Int, found: Int)
    /// A parameter is not a decimal integer.
    case notANumber(term: String, text: String)
    /// A parameter is below its minimum (widths and global counts 0, strides and blocks 1).
    case invalidParameter(pattern: String, name: String, value: Int, minimum: Int)

    public var description: String {
        let kinds = "window:W, causal:W, dilated:W:d, global:G[+window:W], blocked:B"
        return switch self {
        case .empty: "empty attention pattern (expected terms joined by '+': \(kinds))"
        case .emptyTerm: "attention pattern has an empty term (two '+' in a row, or '+' at an end)"
        case let .unknownKind(term, kind): "attention pattern term '\(term)': unknown kind '\(kind)' (expected \(kinds))"
        case let .missingParameter(term, expected, found):
            "attention pattern term '\(term)' has \(found) number(s), its kind takes \(expected)"
        case let .extraParameter(term, expected, found):
            "attention pattern term '\(term)' has \(found) numbers, its kind takes only \(expected)"
        case let .notANumber(term, text): "attention pattern term '\(term)': '\(text)' is not an integer"
        case let .invalidParameter(pattern, name, value, minimum):
            "attention pattern '\(pattern)': \(name) \(value) is below \(minimum)"
        }
    }
}
