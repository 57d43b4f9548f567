import Foundation
import Testing
@testable import Models

/// A small tokenizer.json: BERT's pipeline over a nine-entry vocabulary.
private func tokenizerJSON(
    normalizer: String = #"{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}"#,
    vocab: String = ###"{"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "un": 4, "##believ": 5, "##able": 6, "!": 7, "cafe": 8}"###,
    unk: String = "[UNK]",
    added: String = #"[{"id": 0, "content": "[PAD]", "special": true}, {"id": 3, "content": "[SEP]", "special": true}]"#
) -> Data {
    Data("""
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": \(added),
         "normalizer": \(normalizer), "pre_tokenizer": {"type": "BertPreTokenizer"},
         "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                               "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
         "model": {"type": "WordPiece", "unk_token": "\(unk)", "continuing_subword_prefix": "##",
                   "max_input_chars_per_word": 12, "vocab": \(vocab)}}
        """.utf8)
}

private func defect(_ body: () throws -> Void) -> TokenizerError.Defect? {
    do { try body() } catch let error as TokenizerError { return error.defect } catch { return nil }
    return nil
}

@Suite("Tokenizer pipeline and file checks")
struct TokenizerFileTests {
    @Test func wordPiecePunctuationAccentsAddedTokensAndTruncation() throws {
        let tokenizer = try BertTokenizer(json: tokenizerJSON(), maxLength: 6)
        #expect(tokenizer.encode("UNBELIEVABLE!").ids == [2, 4, 5, 6, 7, 3])
        #expect(tokenizer.encode("Café").ids == [2, 8, 3])
        // Over 12 scalars, or a remainder no entry covers: the whole word is [UNK].
        #expect(tokenizer.encode("unbelievableun").ids == [2, 1, 3])
        #expect(tokenizer.encode("unbeliev").ids == [2, 4, 5, 3])
        #expect(tokenizer.encode("unx").ids == [2, 1, 3])
        // Added tokens are found in the raw text, before lowercasing.
        #expect(tokenizer.encode("cafe[SEP]cafe [sep]").ids == [2, 8, 3, 8, 1, 3])
        // Truncation keeps room for [CLS] and [SEP].
        #expect(tokenizer.encode("cafe ! cafe ! cafe !").ids == [2, 8, 7, 8, 7, 3])
        #expect(tokenizer.encode("").ids == [2, 3])
        let batch = tokenizer.encodeBatch(["cafe", "", "cafe!"])
        #expect(batch.length == 4)
        #expect(batch.ids == [2, 8, 3, 0, 2, 3, 0, 0, 2, 8, 7, 3])
        #expect(batch.attentionMask == [1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1])
        #expect(batch.lengths == [3, 2, 4])
    }

    @Test func normalizerFollowsTokenizersUnicode8Tables() {
        let bert = BertNormalizer()
        func normalized(_ text: String) -> String { String(String.UnicodeScalarView(bert.normalize(text.unicodeScalars))) }
        #expect(normalized("Ångström\tİ ΣΑΣ") == "angstrom i σασ")
        #expect(normalized("a\u{0B}b\u{85}c\u{AD}d\u{200B}e") == "abcde")
        #expect(normalized("中文") == " 中  文 ")
        // Unicode 9.0 and later: no category in tokenizers' tables, so neither dropped nor stripped.
        #expect(normalized("a\u{08E2}b\u{08D4}c") == "a\u{08E2}b\u{08D4}c")
        #expect(normalized("a\u{0378}b") == "a\u{0378}b")
        #expect(BertPreTokenizer.words(Array("a\u{2E43}b \u{A8FC}c$".unicodeScalars)).map { String(String.UnicodeScalarView($0)) }
            == ["a\u{2E43}b", "\u{A8FC}", "c", "$"])
    }

    @Test func fileDefectsAreNamed() {
        #expect(defect { _ = try BertTokenizer(json: Data("{".utf8), maxLength: 8) }.map {
            if case .invalidJSON = $0 { true } else { false }
        } == true)
        #expect(defect { _ = try BertTokenizer(json: tokenizerJSON(normalizer: #"{"type": "NFKC"}"#), maxLength: 8) }
            == .unsupported(component: "normalizer", type: "NFKC"))
        #expect(defect { _ = try BertTokenizer(json: tokenizerJSON(unk: "<unk>"), maxLength: 8) }
            == .missingToken(role: "unk_token", token: "<unk>"))
        #expect(defect { _ = try BertTokenizer(json: tokenizerJSON(vocab: #"{"[UNK]": 0, "[CLS]": 2, "[SEP]": 3}"#), maxLength: 8) }
            == .vocabularyIDs(count: 3, missing: 1))
        #expect(defect {
            _ = try BertTokenizer(json: tokenizerJSON(added: #"[{"id": 7, "content": "!", "lstrip": true}]"#), maxLength: 8)
        } == .unsupportedAddedToken(token: "!", option: "lstrip: true"))
        #expect(defect { _ = try BertTokenizer(json: tokenizerJSON(), maxLength: 2) } == .maxLengthTooSmall(maxLength: 2, specialTokens: 2))
        let missingVocab = Data(#"{"model": {"type": "WordPiece", "unk_token": "[UNK]"}}"#.utf8)
        #expect(defect { _ = try BertTokenizer(json: missingVocab, maxLength: 8) } == .invalidJSON(codingPath: "model", reason: "missing 'vocab'"))
        let error = TokenizerError(path: "/m/tokenizer.json", .unsupported(component: "model", type: "BPE"))
        #expect(error.description == "/m/tokenizer.json: model of type 'BPE' is not supported")
    }
}
