import Foundation
import Models

/// One batch of the model benchmark: `batch` texts of exactly `length` tokens ([CLS] ... [SEP]),
/// every token real, and how long tokenising those texts took.
struct ModelBenchInput {
    var batch: TokenBatch
    /// Median ms to tokenise the batch's texts (with padding and masks), kept apart from the forward pass.
    var tokenizeMs: Double

    /// English prose to cut texts from: each text starts at a different word.
    static let prose = """
        The committee met on a cold Tuesday morning to review the budget for the coming year, and after a long \
        discussion about maintenance costs, staffing levels and the new library wing, the members agreed to postpone \
        the final vote until the engineers had inspected the roof. Meanwhile, volunteers organised a small festival \
        in the park, with music, food stalls and a children's race along the river; hundreds of residents attended \
        despite the rain. Researchers at the university published a study suggesting that pruned neural networks can \
        run several times faster on ordinary processors without losing much accuracy, which could make translation, \
        search and speech recognition cheaper for everyone.
        """

    init(tokenizer: BertTokenizer, batch: Int, length: Int, warmup: Int, iterations: Int) throws {
        let words = Self.prose.split(separator: " ")
        // Enough words for `length` tokens whatever the rotation: the prose twice over.
        let texts = (0..<batch).map { row in
            (Array(words[(row % words.count)...]) + words + words).joined(separator: " ")
        }
        var seconds: [Double] = []
        for run in 0..<(warmup + iterations) {
            let start = ContinuousClock.now
            _ = tokenizer.encodeBatch(texts)
            let parts = start.duration(to: .now).components
            if run >= warmup { seconds.append(Double(parts.seconds) + Double(parts.attoseconds) * 1e-18) }
        }
        tokenizeMs = ModelBenchJob.median(seconds) * 1e3
        let encodings = texts.map { text in
            let full = tokenizer.encode(text)
            // [CLS] and the first length - 2 word pieces, then the encoding's last token ([SEP]).
            let ids = Array(full.ids.prefix(length - 1)) + [full.ids.last ?? 0]
            return BertTokenizer.Encoding(ids: ids, typeIDs: [Int32](repeating: 0, count: ids.count))
        }
        guard encodings.allSatisfy({ $0.ids.count == length }) else {
            throw ModelBenchJob.Mismatch(description: "the benchmark's texts are shorter than \(length) tokens for this tokenizer")
        }
        self.batch = TokenBatch(encodings, padID: tokenizer.padID)
    }
}
