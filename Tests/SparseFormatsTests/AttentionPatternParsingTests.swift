import Testing
@testable import SparseFormats

@Suite struct AttentionPatternParsingTests {
    @Test func spellingsParse() throws {
        #expect(try AttentionPattern(parsing: "window:256") == .window(256))
        #expect(try AttentionPattern(parsing: "causal:256") == .causalWindow(256))
        #expect(try AttentionPattern(parsing: "dilated:256:4") == .dilated(256, stride: 4))
        #expect(try AttentionPattern(parsing: "global:16+window:256") == .globalWindow(16, 256))
        #expect(try AttentionPattern(parsing: "global:16") == .globalWindow(16, 0))
        #expect(try AttentionPattern(parsing: "blocked:64") == .blocked(64))
        #expect(try AttentionPattern(parsing: "window:256+global:16") == .union([.window(256), .globalWindow(16, 0)]))
        #expect(
            try AttentionPattern(parsing: "global:4+window:8+window:2+dilated:9:3")
                == .union([.globalWindow(4, 8), .window(2), .dilated(9, stride: 3)]))
    }

    @Test func descriptionsRoundTrip() throws {
        for pattern in AttentionPatternTests.patterns {
            let flat: AttentionPattern = pattern.members.count == 1 ? pattern.members[0] : .union(pattern.members)
            guard !flat.members.isEmpty else { continue }
            #expect(try AttentionPattern(parsing: flat.description) == flat, "\(flat)")
            #expect(AttentionPattern(flat.description) == flat)
        }
        #expect(AttentionPattern.union([.union([.window(2)]), .blocked(3)]).description == "window:2+blocked:3")
    }

    @Test func badSpellingsNameTheDefect() {
        let cases: [(String, AttentionPatternError)] = [
            ("", .empty),
            ("window:4+", .emptyTerm),
            ("+window:4", .emptyTerm),
            ("window:4++causal:2", .emptyTerm),
            ("sliding:4", .unknownKind(term: "sliding:4", kind: "sliding")),
            ("Window:4", .unknownKind(term: "Window:4", kind: "Window")),
            ("window", .missingParameter(term: "window", expected: 1, found: 0)),
            ("dilated:256", .missingParameter(term: "dilated:256", expected: 2, found: 1)),
            ("window:4:2", .extraParameter(term: "window:4:2", expected: 1, found: 2)),
            ("window:x", .notANumber(term: "window:x", text: "x")),
            ("window:", .notANumber(term: "window:", text: "")),
            ("dilated:8:2.5", .notANumber(term: "dilated:8:2.5", text: "2.5")),
            ("window:-2", .invalidParameter(pattern: "window:-2", name: "width", value: -2, minimum: 0)),
            ("dilated:8:0", .invalidParameter(pattern: "dilated:8:0", name: "stride", value: 0, minimum: 1)),
            ("blocked:0", .invalidParameter(pattern: "blocked:0", name: "block", value: 0, minimum: 1)),
            ("global:-1+window:4", .invalidParameter(pattern: "global:-1+window:4", name: "global", value: -1, minimum: 0)),
            ("global:1+window:-4", .invalidParameter(pattern: "global:1+window:-4", name: "width", value: -4, minimum: 0)),
        ]
        for (text, error) in cases {
            #expect(throws: error, "'\(text)'") { try AttentionPattern(parsing: text) }
            #expect(AttentionPattern(text) == nil)
            #expect(!error.description.isEmpty)
        }
    }
}
