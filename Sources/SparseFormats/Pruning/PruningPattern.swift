/// Which structure a magnitude pruning keeps.
///
/// Written as text by the command line and in reports: `unstructured`, `block:RxC`
/// (`block:4x4`; `block:4` means `block:4x4`) and `N:M` (`2:4`). The Codable form is
/// that text.
public enum PruningPattern: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Individual weights, smallest magnitude first.
    case unstructured
    /// `rows x columns` blocks, smallest L2 norm first.
    case block(rows: Int, columns: Int)
    /// `n` weights kept out of every `m` consecutive weights of a row (NVIDIA's 2:4).
    case nOfM(n: Int, m: Int)

    /// Parses `unstructured`, `block:RxC`, `block:R` or `N:M` (spaces around and case ignored)
    /// and checks the rules of ``validate()``.
    public init(parsing text: String) throws(SparseFormatError) {
        let lowered = text.lowercased().trimmingCharacters(in: " \t\n\r")
        let expected =
            "cannot read pruning pattern '\(text)': expected 'unstructured', 'block:RxC' (e.g. block:4x4) or 'N:M' (e.g. 2:4)"
        if lowered == "unstructured" {
            self = .unstructured
        } else if lowered.hasPrefix("block:") {
            let sides = lowered.dropFirst("block:".count).split(separator: "x", omittingEmptySubsequences: false)
            guard (1...2).contains(sides.count), let rows = Int(sides[0]), let columns = Int(sides[sides.count - 1]) else {
                throw .invalidPruning(expected)
            }
            self = .block(rows: rows, columns: columns)
        } else {
            let parts = lowered.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]) else { throw .invalidPruning(expected) }
            self = .nOfM(n: n, m: m)
        }
        try validate()
    }

    /// Throws ``SparseFormatError/invalidPruning(_:)`` stating the rule a pattern breaks:
    /// block sides must be positive; N:M needs `M > 0` and `0 <= N <= M`.
    public func validate() throws(SparseFormatError) {
        switch self {
        case .unstructured:
            return
        case let .block(rows, columns):
            guard rows > 0, columns > 0 else {
                throw .invalidPruning("block pruning needs positive block sides, got \(rows)x\(columns)")
            }
        case let .nOfM(n, m):
            guard m > 0 else { throw .invalidPruning("N:M pruning needs M > 0, got \(n):\(m)") }
            guard n >= 0, n <= m else {
                throw .invalidPruning("N:M pruning keeps N of every M weights, so 0 <= N <= M; got \(n):\(m)")
            }
        }
    }

    public var description: String {
        switch self {
        case .unstructured: "unstructured"
        case let .block(rows, columns): "block:\(rows)x\(columns)"
        case let .nOfM(n, m): "\(n):\(m)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try PruningPattern(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension StringProtocol {
    /// Drops the given characters at both ends (Foundation-free).
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
