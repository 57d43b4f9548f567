/// Several texts' tokens padded (on the right) to the longest, with the attention mask that marks
/// the real tokens: what the encoder reads. Row-major, `count` rows of `length`.
package struct TokenBatch: Sendable, Equatable {
    package var count: Int
    package var length: Int
    package var ids: [Int32]
    package var typeIDs: [Int32]
    /// 1 for a token, 0 for padding.
    package var attentionMask: [Int32]
    /// Each row's number of real tokens.
    package var lengths: [Int]

    package init(_ encodings: [BertTokenizer.Encoding], padID: Int32) {
        count = encodings.count
        length = encodings.map(\.ids.count).max() ?? 0
        ids = []
        typeIDs = []
        attentionMask = []
        lengths = encodings.map(\.ids.count)
        for encoding in encodings {
            let padding = length - encoding.ids.count
            ids += encoding.ids
            ids += repeatElement(padID, count: padding)
            typeIDs += encoding.typeIDs
            typeIDs += repeatElement(0, count: padding)
            attentionMask += repeatElement(1, count: encoding.ids.count)
            attentionMask += repeatElement(0, count: padding)
        }
    }
}

extension BertTokenizer {
    /// Texts padded to the longest of them, as sentence-transformers pads a batch.
    package func encodeBatch(_ texts: [String]) -> TokenBatch {
        TokenBatch(texts.map(encode), padID: padID)
    }
}
