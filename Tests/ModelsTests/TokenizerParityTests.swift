import Foundation
import Testing
@testable import Models

/// What `hf_tokenize.py` writes.
private struct HFTokens: Decodable {
    struct Single: Decodable {
        var ids: [Int32]
        var type_ids: [Int32]
        var mask: [Int32]
    }
    struct Batch: Decodable {
        var ids: [[Int32]]
        var mask: [[Int32]]
    }
    var single: [Single]
    var batches: [Batch]
}

@Suite(
    "Tokenizer parity with Hugging Face tokenizers",
    .enabled(if: miniLMAvailable, miniLMReason),
    .enabled(if: hfTokenizersAvailable, "needs Python with Hugging Face tokenizers (pip install tokenizers; scripts/setup.sh does)"))
struct TokenizerParityTests {
    static let batchSize = 7

    @Test func everyCorpusLineAndBatchMatches() throws {
        let corpus = try tokenizerCorpus()
        #expect(corpus.count >= 200)
        let folder = try ModelFolder(miniLMPath)
        let maxLength = try folder.maxSequenceLength(fallback: 512)
        #expect(maxLength == 256)
        let tokenizer = try folder.tokenizer(maxLength: maxLength)

        let scratch = try scratchFolder("tokenize")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let corpusFile = scratch.appendingPathComponent("corpus.jsonl")
        try corpus.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n")
            .write(to: corpusFile, atomically: true, encoding: .utf8)
        let out = scratch.appendingPathComponent("hf.json")
        let run = runPython([
            pythonScript("hf_tokenize.py"), folder.tokenizerPath, String(maxLength), corpusFile.path, String(Self.batchSize), out.path,
        ])
        try #require(run.status == 0, "hf_tokenize.py failed: \(run.output)")
        let expected = try JSONDecoder().decode(HFTokens.self, from: Data(contentsOf: out))
        try #require(expected.single.count == corpus.count)

        var mismatches = 0
        var truncated = 0
        for (index, text) in corpus.enumerated() {
            let encoding = tokenizer.encode(text)
            let hf = expected.single[index]
            if encoding.ids.count == maxLength { truncated += 1 }
            if encoding.ids != hf.ids || encoding.typeIDs != hf.type_ids {
                mismatches += 1
                Issue.record("line \(index + 1) \(text.debugDescription.prefix(80)): Sparrow \(encoding.ids.prefix(40)) vs HF \(hf.ids.prefix(40))")
            }
            #expect(hf.mask.allSatisfy { $0 == 1 })
        }
        #expect(mismatches == 0)
        #expect(truncated >= 5, "the corpus should hold lines long enough to truncate")

        for (number, start) in stride(from: 0, to: corpus.count, by: Self.batchSize).enumerated() {
            let batch = tokenizer.encodeBatch(Array(corpus[start..<min(start + Self.batchSize, corpus.count)]))
            let hf = expected.batches[number]
            #expect(batch.count == hf.ids.count)
            #expect(batch.length == (hf.ids.first?.count ?? 0), "batch \(number) length")
            #expect(batch.ids == hf.ids.flatMap { $0 }, "batch \(number) ids")
            #expect(batch.attentionMask == hf.mask.flatMap { $0 }, "batch \(number) mask")
        }
    }
}
