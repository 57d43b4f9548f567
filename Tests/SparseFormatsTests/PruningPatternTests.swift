import Foundation
import Testing
@testable import SparseFormats

@Suite struct PruningPatternTests {
    @Test func parsesTheThreeForms() throws {
        #expect(try PruningPattern(parsing: "unstructured") == .unstructured)
        #expect(try PruningPattern(parsing: " Block:4x8 ") == .block(rows: 4, columns: 8))
        #expect(try PruningPattern(parsing: "block:4") == .block(rows: 4, columns: 4))
        #expect(try PruningPattern(parsing: "2:4") == .nOfM(n: 2, m: 4))
        #expect(try PruningPattern(parsing: "0:8") == .nOfM(n: 0, m: 8))
        for pattern: PruningPattern in [.unstructured, .block(rows: 1, columns: 32), .nOfM(n: 1, m: 2)] {
            #expect(try PruningPattern(parsing: pattern.description) == pattern)
        }
        #expect(PruningPattern.block(rows: 4, columns: 4).description == "block:4x4")
        #expect(PruningPattern.nOfM(n: 2, m: 4).description == "2:4")
    }

    @Test func rejectsWithTheRule() {
        let expected = { (text: String) in
            SparseFormatError.invalidPruning(
                "cannot read pruning pattern '\(text)': expected 'unstructured', 'block:RxC' (e.g. block:4x4) or 'N:M' (e.g. 2:4)")
        }
        for text in ["", "foo", "block:", "block:4x", "block:x4", "block:4x4x4", "2:4:8", "2:", ":4", "a:b", "2-4"] {
            #expect(throws: expected(text)) { try PruningPattern(parsing: text) }
        }
        #expect(throws: SparseFormatError.invalidPruning("block pruning needs positive block sides, got 0x4")) {
            try PruningPattern(parsing: "block:0x4")
        }
        #expect(throws: SparseFormatError.invalidPruning("N:M pruning keeps N of every M weights, so 0 <= N <= M; got 3:2")) {
            try PruningPattern(parsing: "3:2")
        }
        #expect(throws: SparseFormatError.invalidPruning("N:M pruning keeps N of every M weights, so 0 <= N <= M; got -1:2")) {
            try PruningPattern(parsing: "-1:2")
        }
        #expect(throws: SparseFormatError.invalidPruning("N:M pruning needs M > 0, got 0:0")) { try PruningPattern(parsing: "0:0") }
    }

    @Test func codableAsText() throws {
        let patterns: [PruningPattern] = [.unstructured, .block(rows: 2, columns: 3), .nOfM(n: 2, m: 4)]
        let json = try JSONEncoder().encode(patterns)
        #expect(String(decoding: json, as: UTF8.self) == "[\"unstructured\",\"block:2x3\",\"2:4\"]")
        #expect(try JSONDecoder().decode([PruningPattern].self, from: json) == patterns)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([PruningPattern].self, from: Data("[\"5:4\"]".utf8)) }
        let report = PruningReport(pattern: .nOfM(n: 2, m: 4), requested: 0.5, kept: 8, total: 16)
        #expect(report.achieved == 0.5 && report.pruned == 8)
        #expect(try JSONDecoder().decode(PruningReport.self, from: JSONEncoder().encode(report)) == report)
    }
}
