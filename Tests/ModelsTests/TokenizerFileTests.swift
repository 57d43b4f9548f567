import Foundation
import Testing
@testable import Models

private func defect(_ body: () throws -> Void) -> TokenizerError.Defect? {
    do { try body() } catch let error as TokenizerError { return error.defect } catch { return nil }
    return nil
}

@Suite("Tokenizer pipeline and file checks")
struct TokenizerFileTests {
    @Test func wordPiecePunctuationAccentsAddedTokensAndTruncation() throws {
        let tokenizer = try BertTokenizer(json: tinyTokenizerJSON(), maxLength: 6)
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
        #expect(defect { _ = try BertTokenizer(json: tinyTokenizerJSON(normalizer: #"{"type": "NFKC"}"#), maxLength: 8) }
            == .unsupported(component: "normalizer", type: "NFKC"))
        #expect(defect { _ = try BertTokenizer(json: tinyTokenizerJSON(unk: "<unk>"), maxLength: 8) }
            == .missingToken(role: "unk_token", token: "<unk>"))
        #expect(defect { _ = try BertTokenizer(json: tinyTokenizerJSON(vocab: #"{"[UNK]": 0, "[CLS]": 2, "[SEP]": 3}"#), maxLength: 8) }
            == .vocabularyIDs(count: 3, missing: 1))
        #expect(defect {
            _ = try BertTokenizer(json: tinyTokenizerJSON(added: #"[{"id": 7, "content": "!", "lstrip": true}]"#), maxLength: 8)
        } == .unsupportedAddedToken(token: "!", option: "lstrip: true"))
        #expect(defect { _ = try BertTokenizer(json: tinyTokenizerJSON(), maxLength: 2) } == .maxLengthTooSmall(maxLength: 2, specialTokens: 2))
        let missingVocab = Data(#"{"model": {"type": "WordPiece", "unk_token": "[UNK]"}}"#.utf8)
        #expect(defect { _ = try BertTokenizer(json: missingVocab, maxLength: 8) } == .invalidJSON(codingPath: "model", reason: "missing 'vocab'"))
        let error = TokenizerError(path: "/m/tokenizer.json", .unsupported(component: "model", type: "BPE"))
        #expect(error.description == "/m/tokenizer.json: model of type 'BPE' is not supported")
    }
}
