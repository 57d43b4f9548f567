/// Hugging Face's `BertPreTokenizer`: words are split at whitespace (dropped) and around every
/// punctuation character (each its own word).
enum BertPreTokenizer {
    static func words(_ scalars: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        for (index, scalar) in scalars.enumerated() {
            let space = BertCharacterClass.isWhitespace(scalar)
            guard space || BertCharacterClass.isPunctuation(scalar) else { continue }
            if start < index { words.append(scalars[start..<index]) }
            if !space { words.append(scalars[index..<index + 1]) }
            start = index + 1
        }
        if start < scalars.count { words.append(scalars[start...]) }
        return words
    }
}
