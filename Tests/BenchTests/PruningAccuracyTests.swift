import Foundation
import Testing
@testable import Bench
import Models

struct PruningAccuracyTests {
    @Test func spearmanRanksWithTies() {
        #expect(PruningAccuracyJob.ranks([10, 30, 20, 20]) == [1, 4, 2.5, 2.5])
        #expect(abs(PruningAccuracyJob.spearman([1, 2, 3, 4], [10, 20, 35, 1000]) - 1) < 1e-12, "monotone: 1")
        #expect(abs(PruningAccuracyJob.spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12, "reversed: -1")
        #expect(PruningAccuracyJob.spearman([1], [1]).isNaN)
        #expect(abs(EmbeddingCosine.minimum([1, 0, 0, 1], [1, 0, 1, 1], dimension: 2) - 0.5.squareRoot()) < 1e-12)
        #expect(ModelBenchJob.median([3, 1, 2, 10]) == 2.5)
    }

    @Test func theCommittedPairsFileHoldsAtLeastAHundredPairsOfEachKind() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/sentence-pairs.tsv").path
        let pairs = try PruningAccuracyJob.readPairs(file)
        #expect(pairs.count >= 100)
        #expect(pairs.allSatisfy { !$0.0.isEmpty && !$0.1.isEmpty && $0.0 != $0.1 })
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for kind in ["paraphrase", "related", "unrelated"] {
            #expect(text.split(separator: "\n").filter { $0.hasPrefix(kind + "\t") }.count >= 30, "\(kind) pairs")
        }
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-bad-pairs-\(ProcessInfo.processInfo.processIdentifier).tsv")
        try Data("paraphrase\tonly one\n".utf8).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }
        #expect(throws: ModelBenchJob.Mismatch.self) { try PruningAccuracyJob.readPairs(bad.path) }
    }
}
