/// The added tokens `tokenizers` finds in the raw text before normalizing (`[CLS]`, `[MASK]` ...):
/// each occurrence becomes its id, and only the text between them is normalized and split.
/// Matching is leftmost-longest, on exact scalars, as `tokenizers`' Aho-Corasick search does.
struct AddedTokens: Sendable {
    /// Longest first, so the first match at a position is the longest.
    let tokens: [(scalars: [Unicode.Scalar], id: Int32)]

    init(_ tokens: [(content: String, id: Int32)]) {
        self.tokens = tokens.map { (Array($0.content.unicodeScalars), $0.id) }
            .filter { !$0.0.isEmpty }
            .sorted { $0.0.count > $1.0.count }
    }

    enum Segment {
        case text(ArraySlice<Unicode.Scalar>)
        case token(Int32)
    }

    func split(_ scalars: [Unicode.Scalar]) -> [Segment] {
        guard !tokens.isEmpty else { return [.text(scalars[...])] }
        var segments: [Segment] = []
        var textStart = 0
        var position = 0
        while position < scalars.count {
            let rest = scalars[position...]
            if let match = tokens.first(where: { rest.starts(with: $0.scalars) }) {
                if textStart < position { segments.append(.text(scalars[textStart..<position])) }
                segments.append(.token(match.id))
                position += match.scalars.count
                textStart = position
            } else {
                position += 1
            }
        }
        if textStart < scalars.count { segments.append(.text(scalars[textStart...])) }
        return segments
    }
}
