import Testing
@testable import SparseFormats

/// Patterns against a brute-force construction from their mask definitions.
@Suite struct AttentionPatternTests {
    static let lengths = [1, 2, 7, 100, 257]

    /// The keys of row i written out from the definitions in AttentionPattern's doc comment,
    /// independently of `contains` and of ACSR's segment construction.
    static func bruteForceKeys(_ pattern: AttentionPattern, row i: Int, length: Int) -> [Int] {
        (0..<length).filter { j in brute(pattern, i, j) }
    }

    static func brute(_ pattern: AttentionPattern, _ i: Int, _ j: Int) -> Bool {
        switch pattern {
        case .window(let w): return (i - j) * (i - j) <= (w / 2) * (w / 2)
        case .causalWindow(let w): return (0..<w).contains(i - j)
        // j = i + d t for an integer t with |t| <= w / 2 (not a search over t: that made the test a minute long).
        case .dilated(let w, let d): return (j - i) % d == 0 && abs((j - i) / d) <= w / 2
        case .globalWindow(let g, let w): return min(i, j) < g || (i - j) * (i - j) <= (w / 2) * (w / 2)
        case .blocked(let b): return (j - j % b) == (i - i % b)
        case .union(let members): return members.contains { brute($0, i, j) }
        }
    }

    static var patterns: [AttentionPattern] {
        var out: [AttentionPattern] = []
        for w in [0, 1, 2, 3, 8, 17, 64, 300] {
            out += [.window(w), .causalWindow(w)]
            for d in [1, 2, 3, 7] { out.append(.dilated(w, stride: d)) }
            for g in [0, 1, 5, 300] { out.append(.globalWindow(g, w)) }
        }
        for b in [1, 2, 3, 16, 64, 300] { out.append(.blocked(b)) }
        out += [
            .union([.window(8), .dilated(16, stride: 4)]),
            .union([.causalWindow(4), .globalWindow(3, 0)]),
            .union([.blocked(16), .window(4)]),
            .union([.causalWindow(0), .window(0)]),
            .union([.dilated(8, stride: 2), .dilated(8, stride: 3)]),
            .union([.union([.window(2), .blocked(5)]), .causalWindow(9)]),
            .union([]),
        ]
        return out
    }

    @Test func everyPatternMatchesItsMaskDefinition() throws {
        for pattern in Self.patterns {
            for length in Self.lengths {
                let acsr = try ACSR(pattern, length: length)
                var nnz = 0
                for i in 0..<length {
                    let expected = Self.bruteForceKeys(pattern, row: i, length: length)
                    #expect(acsr.keys(ofRow: i) == expected, "\(pattern) L=\(length) row \(i)")
                    #expect((0..<length).filter { pattern.contains(query: i, key: $0, length: length) } == expected, "\(pattern) contains")
                    nnz += expected.count
                }
                #expect(acsr.nnz == nnz)
                // What the builder writes is what the validator accepts.
                let copy = try ACSR(
                    validating: acsr.length, segmentsPerRow: acsr.segmentsPerRow, segmentStart: acsr.segmentStart,
                    segmentStride: acsr.segmentStride, segmentCount: acsr.segmentCount, rowLength: acsr.rowLength, rowOffset: acsr.rowOffset)
                #expect(copy == acsr)
            }
        }
    }

    @Test func segmentCountsOfThePlainPatterns() throws {
        // Away from the edges: one segment for windows, dilated and blocks; global + window needs two.
        #expect(try ACSR(.window(256), length: 4096).segmentsPerRow == 1)
        #expect(try ACSR(.causalWindow(256), length: 4096).segmentsPerRow == 1)
        #expect(try ACSR(.dilated(256, stride: 4), length: 4096).segmentsPerRow == 1)
        #expect(try ACSR(.blocked(64), length: 1000).segmentsPerRow == 1)
        #expect(try ACSR(.globalWindow(16, 256), length: 4096).segmentsPerRow == 2)
        // A window inside a dilated window: the dilated keys up to the window's first, the rest of the
        // window, the dilated keys right of it (the greedy cut gives key 96 to the stride-4 run).
        let union = try ACSR(.union([.window(8), .dilated(16, stride: 4)]), length: 200)
        #expect(union.segmentsPerRow == 3)
        #expect(union.segments(ofRow: 100) == [
            .init(start: 68, stride: 4, count: 8), .init(start: 97, stride: 1, count: 8), .init(start: 108, stride: 4, count: 7),
        ])
        // Global joined with an adjacent window is one run.
        #expect(try ACSR(.globalWindow(4, 8), length: 50).segments(ofRow: 6) == [.init(start: 0, stride: 1, count: 11)])
        // Spelled as a union or as one pattern, the same keys give the same layout.
        #expect(try ACSR(.union([.window(4), .window(2)]), length: 30) == ACSR(.window(4), length: 30))
    }

    @Test func metadataIsLinearInRows() throws {
        let acsr = try ACSR(.window(64), length: 1000)
        #expect(acsr.metadataBytes == 3 * 4 * 1000 + 4 * 1000 + 8 * 1001)
        #expect(acsr.nnz == (0..<1000).reduce(0) { $0 + min(999, $1 + 32) - max(0, $1 - 32) + 1 })
        #expect(abs(acsr.density - Double(acsr.nnz) / 1e6) < 1e-15)
        let empty = try ACSR(.window(4), length: 0)
        #expect(empty.nnz == 0 && empty.density == 0 && empty.rowOffset == [0])
    }

    @Test func tooManySegmentsIsRefused() {
        // Stride-2 and stride-3 dilations interleave: many short runs per row.
        let pattern = AttentionPattern.union([.dilated(40, stride: 2), .dilated(40, stride: 3)])
        #expect(throws: ACSRError.tooManySegments(row: 0, needed: 15, limit: 8)) { try ACSR(pattern, length: 100) }
        #expect(throws: ACSRError.pattern(.invalidParameter(pattern: "blocked:0", name: "block", value: 0, minimum: 1))) {
            try ACSR(.blocked(0), length: 10)
        }
        #expect(throws: ACSRError.invalidLength(-1)) { try ACSR(.window(2), length: -1) }
    }

    @Test func csrConversionKeepsTheOrder() throws {
        for pattern: AttentionPattern in [.globalWindow(3, 4), .union([.window(8), .dilated(16, stride: 4)]), .causalWindow(0)] {
            let acsr = try ACSR(pattern, length: 57)
            let values = (0..<acsr.nnz).map { Double($0) }
            let csr = try acsr.csr(values: values)
            #expect(csr.rows == 57 && csr.columns == 57 && csr.nnz == acsr.nnz)
            for i in 0..<57 {
                #expect(csr.range(ofRow: i) == Int(acsr.rowOffset[i])..<Int(acsr.rowOffset[i + 1]))
                #expect(csr.range(ofRow: i).map { Int(csr.columnIndices[$0]) } == acsr.keys(ofRow: i))
            }
            // Values sit at their sparse positions.
            #expect(csr.values == values)
            // It is canonical: the validating initializer accepts it.
            _ = try CSRMatrix(rows: 57, columns: 57, rowOffsets: csr.rowOffsets, columnIndices: csr.columnIndices, values: csr.values)
            #expect(try acsr.csrPattern().values.allSatisfy { $0 == 1 })
        }
        #expect(throws: SparseFormatError.valueCount(expected: 7, actual: 2)) { try ACSR(.window(2), length: 3).csr(values: [1.0, 2.0]) }
    }
}
