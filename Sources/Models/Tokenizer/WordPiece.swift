/// Hugging Face's `WordPiece` model: each word becomes the longest vocabulary entries that cover it
/// from the left, pieces after the first looked up with the continuation prefix (`##`); a word with
/// an uncovered remainder, or longer than `maxInputCharsPerWord` scalars, becomes the unknown token.
struct WordPiece: Sendable {
    /// Vocabulary entries without the continuation prefix, keyed by their scalars (exactly: Swift's
    /// `String` equality would merge canonically equivalent entries that `tokenizers` keeps apart).
    let whole: [ArraySlice<Unicode.Scalar>: Int32]
    /// Entries that start with the continuation prefix, keyed by what follows the prefix.
    let continuation: [ArraySlice<Unicode.Scalar>: Int32]
    let unknownID: Int32
    let maxInputCharsPerWord: Int
    /// The longest key of either table, in scalars: no longer piece can match.
    let longestPiece: Int

    init(vocabulary: [(token: String, id: Int32)], unknownID: Int32, continuationPrefix: String, maxInputCharsPerWord: Int) {
        let prefix = Array(continuationPrefix.unicodeScalars)
        var whole: [ArraySlice<Unicode.Scalar>: Int32] = [:]
        var continuation: [ArraySlice<Unicode.Scalar>: Int32] = [:]
        var longest = 0
        for (token, id) in vocabulary {
            let scalars = Array(token.unicodeScalars)
            longest = max(longest, scalars.count)
            whole[scalars[...]] = id
            if !prefix.isEmpty && scalars.count > prefix.count && scalars.starts(with: prefix) {
                continuation[scalars[prefix.count...]] = id
            }
        }
        self.whole = whole
        self.continuation = continuation
        self.unknownID = unknownID
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.longestPiece = longest
    }

    /// Appends the ids of one word's pieces to `ids`.
    func tokenize(_ word: ArraySlice<Unicode.Scalar>, into ids: inout [Int32]) {
        guard word.count <= maxInputCharsPerWord else {
            ids.append(unknownID)
            return
        }
        let mark = ids.count
        var start = word.startIndex
        while start < word.endIndex {
            let table = start == word.startIndex ? whole : continuation
            var end = min(word.endIndex, start + longestPiece)
            var found: Int32?
            while start < end {
                if let id = table[word[start..<end]] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.removeSubrange(mark...)
                ids.append(unknownID)
                return
            }
            ids.append(found)
            start = end
        }
    }
}
