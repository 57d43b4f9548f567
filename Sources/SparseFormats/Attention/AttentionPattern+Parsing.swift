extension AttentionPattern: CustomStringConvertible, LosslessStringConvertible {
    /// Parses the compact spelling the command line takes.
    ///
    /// Grammar (no spaces; numbers are decimal integers):
    /// ```
    /// pattern := term ("+" term)*          a union when there are two or more terms
    /// term    := "window:" W               .window(W)
    ///          | "causal:" W               .causalWindow(W)
    ///          | "dilated:" W ":" d        .dilated(W, stride: d)
    ///          | "global:" G ["+window:" W] .globalWindow(G, W) (W = 0 when absent)
    ///          | "blocked:" B              .blocked(B)
    /// ```
    /// A `global:G` term takes the `window:W` term right after it as its window, so
    /// `global:16+window:256` is `.globalWindow(16, 256)`; `window:256+global:16` is the union of
    /// `.window(256)` and `.globalWindow(16, 0)` (the same keys, a different value). Parameters
    /// are checked as ``validate()`` does. ``description`` writes this spelling (a global pattern
    /// always with its window), and parsing it gives the pattern back whenever its unions are
    /// flat and hold at least two members.
    public init(parsing text: String) throws(AttentionPatternError) {
        guard !text.isEmpty else { throw .empty }
        let parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        var terms: [AttentionPattern] = []
        var index = 0
        while index < parts.count {
            var term = try Self.parseTerm(parts[index])
            // A global term takes the window term right after it as its window.
            if case .globalWindow(let g, _) = term, index + 1 < parts.count, parts[index + 1].hasPrefix("window:"),
                case .window(let w) = try Self.parseTerm(parts[index + 1])
            {
                term = .globalWindow(g, w)
                index += 1
            }
            terms.append(term)
            index += 1
        }
        self = terms.count == 1 ? terms[0] : .union(terms)
        try validate()
    }

    /// `LosslessStringConvertible`: nil where ``init(parsing:)`` throws.
    public init?(_ description: String) {
        guard let pattern = try? AttentionPattern(parsing: description) else { return nil }
        self = pattern
    }

    public var description: String {
        switch self {
        case .window(let w): "window:\(w)"
        case .causalWindow(let w): "causal:\(w)"
        case .dilated(let w, let d): "dilated:\(w):\(d)"
        case .globalWindow(let g, let w): "global:\(g)+window:\(w)"
        case .blocked(let b): "blocked:\(b)"
        case .union(let members): members.map(\.description).joined(separator: "+")
        }
    }

    private static func parseTerm(_ term: String) throws(AttentionPatternError) -> AttentionPattern {
        guard !term.isEmpty else { throw .emptyTerm }
        let fields = term.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let kind = fields[0]
        let expected: Int
        switch kind {
        case "window", "causal", "global", "blocked": expected = 1
        case "dilated": expected = 2
        default: throw .unknownKind(term: term, kind: kind)
        }
        guard fields.count - 1 >= expected else { throw .missingParameter(term: term, expected: expected, found: fields.count - 1) }
        guard fields.count - 1 == expected else { throw .extraParameter(term: term, expected: expected, found: fields.count - 1) }
        var numbers: [Int] = []
        for field in fields.dropFirst() {
            guard let value = Int(field), field.allSatisfy(\.isASCII) else { throw .notANumber(term: term, text: field) }
            numbers.append(value)
        }
        switch kind {
        case "window": return .window(numbers[0])
        case "causal": return .causalWindow(numbers[0])
        case "global": return .globalWindow(numbers[0], 0)
        case "blocked": return .blocked(numbers[0])
        default: return .dilated(numbers[0], stride: numbers[1])
        }
    }
}
