extension BertTokenizer {
    /// `BertNormalizer` with `tokenizers`' defaults; `strip_accents: null` follows `lowercase`.
    static func normalizer(
        _ spec: TokenizerFile.Normalizer?, fail: (TokenizerError.Defect) -> TokenizerError
    ) throws(TokenizerError) -> BertNormalizer {
        guard let spec else { return BertNormalizer(cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: false) }
        guard spec.type == "BertNormalizer" else { throw fail(.unsupported(component: "normalizer", type: spec.type)) }
        let lowercase = spec.lowercase ?? true
        return BertNormalizer(
            cleanText: spec.cleanText ?? true, handleChineseCharacters: spec.handleChineseChars ?? true,
            stripAccents: spec.stripAccents ?? lowercase, lowercase: lowercase)
    }

    /// The vocabulary as (token, id) pairs, checked to hold the ids 0..<count once each.
    static func vocabulary(
        _ vocab: [String: Int], fail: (TokenizerError.Defect) -> TokenizerError
    ) throws(TokenizerError) -> [(token: String, id: Int32)] {
        var seen = [Bool](repeating: false, count: vocab.count)
        for id in vocab.values where (0..<vocab.count).contains(id) { seen[id] = true }
        if let missing = seen.firstIndex(of: false) { throw fail(.vocabularyIDs(count: vocab.count, missing: missing)) }
        guard Int32(exactly: vocab.count) != nil else { throw fail(.vocabularyIDs(count: vocab.count, missing: Int(Int32.max))) }
        return vocab.map { (token: $0.key, id: Int32($0.value)) }
    }

    /// The added tokens matched in raw text; options `tokenizers` has that Sparrow does not are refused.
    static func addedTokens(
        _ tokens: [TokenizerFile.AddedToken], fail: (TokenizerError.Defect) -> TokenizerError
    ) throws(TokenizerError) -> AddedTokens {
        var matched: [(content: String, id: Int32)] = []
        for token in tokens {
            for (option, on) in [
                ("single_word", token.singleWord), ("lstrip", token.lstrip), ("rstrip", token.rstrip), ("normalized", token.normalized),
            ] where on == true {
                throw fail(.unsupportedAddedToken(token: token.content, option: "\(option): true"))
            }
            guard let id = Int32(exactly: token.id), id >= 0 else {
                throw fail(.missingToken(role: "added token id", token: String(token.id)))
            }
            matched.append((token.content, id))
        }
        return AddedTokens(matched)
    }
}
