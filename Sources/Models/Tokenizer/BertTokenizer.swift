import Foundation

/// A BERT WordPiece tokenizer read from a Hugging Face `tokenizer.json`, giving the same ids as
/// `tokenizers`: added tokens found in the raw text, `BertNormalizer`, `BertPreTokenizer`,
/// `WordPiece`, then the post-processor's special tokens, with the text truncated so the whole
/// encoding fits `maxLength`.
package struct BertTokenizer: Sendable {
    let normalizer: BertNormalizer
    let wordPiece: WordPiece
    let addedTokens: AddedTokens
    let template: SpecialTokenTemplate
    /// The longest encoding, special tokens included; longer text is cut at the end.
    package let maxLength: Int
    /// The id padding uses (`tokenizer.json`'s `padding.pad_id`, else `[PAD]`'s id, else 0).
    package let padID: Int32
    /// The number of vocabulary entries.
    package let vocabularySize: Int

    /// One text's tokens, special tokens included.
    package struct Encoding: Sendable, Equatable {
        package var ids: [Int32]
        package var typeIDs: [Int32]

        package init(ids: [Int32], typeIDs: [Int32]) {
            self.ids = ids
            self.typeIDs = typeIDs
        }
    }

    /// Reads `tokenizer.json`; `maxLength` is the model's (sentence-transformers' `max_seq_length`).
    package init(contentsOf path: String, maxLength: Int) throws(TokenizerError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TokenizerError(path: path, .unreadable(reason: error.localizedDescription))
        }
        try self.init(json: data, path: path, maxLength: maxLength)
    }

    /// Decodes the contents of a `tokenizer.json`; `path` only names it in errors.
    package init(json: Data, path: String? = nil, maxLength: Int) throws(TokenizerError) {
        let file: TokenizerFile
        do { file = try JSONDecoder().decode(TokenizerFile.self, from: json) } catch {
            let failure = DecodingFailure(error)
            throw TokenizerError(path: path, .invalidJSON(codingPath: failure.codingPath, reason: failure.reason))
        }
        try self.init(file, path: path, maxLength: maxLength)
    }

    init(_ file: TokenizerFile, path: String?, maxLength: Int) throws(TokenizerError) {
        func fail(_ defect: TokenizerError.Defect) -> TokenizerError { TokenizerError(path: path, defect) }
        normalizer = try Self.normalizer(file.normalizer, fail: fail)
        if let type = file.preTokenizer?.type, type != "BertPreTokenizer" {
            throw fail(.unsupported(component: "pre_tokenizer", type: type))
        }
        let model = file.model
        if let type = model.type, type != "WordPiece" { throw fail(.unsupported(component: "model", type: type)) }
        let vocabulary = try Self.vocabulary(model.vocab, fail: fail)
        vocabularySize = vocabulary.count
        guard let unknown = model.vocab[model.unkToken] else { throw fail(.missingToken(role: "unk_token", token: model.unkToken)) }
        wordPiece = WordPiece(
            vocabulary: vocabulary, unknownID: Int32(unknown), continuationPrefix: model.continuingSubwordPrefix ?? "##",
            maxInputCharsPerWord: model.maxInputCharsPerWord ?? 100)
        addedTokens = try Self.addedTokens(file.addedTokens, fail: fail)
        template = try SpecialTokenTemplate(file.postProcessor, path: path)
        for id in template.prefix + template.suffix where Int(id) >= vocabulary.count {
            throw fail(.missingToken(role: "template's special token id", token: String(id)))
        }
        guard maxLength > template.count else { throw fail(.maxLengthTooSmall(maxLength: maxLength, specialTokens: template.count)) }
        self.maxLength = maxLength
        let pad = file.padding?.padID ?? model.vocab["[PAD]"] ?? 0
        guard let padID = Int32(exactly: pad), (0..<vocabulary.count).contains(pad) else {
            throw fail(.missingToken(role: "padding id", token: String(pad)))
        }
        self.padID = padID
    }

    /// One text: ids and token type ids, special tokens included, at most `maxLength` of them.
    package func encode(_ text: String) -> Encoding {
        var ids: [Int32] = []
        for segment in addedTokens.split(Array(text.unicodeScalars)) {
            switch segment {
            case let .token(id):
                ids.append(id)
            case let .text(scalars):
                for word in BertPreTokenizer.words(normalizer.normalize(scalars)) {
                    wordPiece.tokenize(word, into: &ids)
                }
            }
        }
        let kept = ids.prefix(maxLength - template.count)
        return Encoding(
            ids: template.prefix + kept + template.suffix,
            typeIDs: template.prefixTypeIDs + Array(repeating: template.sequenceTypeID, count: kept.count) + template.suffixTypeIDs)
    }
}
