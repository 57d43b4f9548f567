import Foundation
import Testing
@testable import SparseFormats

@Suite struct PatternDigestTests {
    /// 3 x 4: row 0 holds columns 0 and 2, row 1 is empty, row 2 holds column 3.
    func sample<E: SparseElement>(_: E.Type, columns: Int = 4) throws -> CSRMatrix<E> {
        try CSRMatrix(rows: 3, columns: columns, rowOffsets: [0, 2, 2, 3], columnIndices: [0, 2, 3],
                      values: [E(Float(1)), E(Float(-2)), E(Float(3))])
    }

    /// Golden values, computed independently (Python, the algorithm as documented). They
    /// must never change: they key kernel caches and the tuning database.
    @Test func goldenValues() throws {
        #expect(try sample(Float.self).patternDigest.description == "7eefa7257ee9fb26")
        #expect(try CSRMatrix<Float>(zeros: 0, 0).patternDigest.description == "f87aa991aaca2370")
        #expect(try sample(Float.self, columns: 5).patternDigest.description == "77235c0fe41afcb7")
        let bsr = try BSRMatrix<Float>(rows: 4, columns: 6, blockRows: 2, blockColumns: 3, rowOffsets: [0, 2, 3],
                                       columnIndices: [0, 1, 1], values: [Float](repeating: 1, count: 18))
        #expect(bsr.patternDigest.description == "952d5adc065eaed0")
        let one = try BSRMatrix<Float>(rows: 4, columns: 6, blockRows: 2, blockColumns: 3, rowOffsets: [0, 1, 1],
                                       columnIndices: [0], values: [Float](repeating: 0, count: 6))
        #expect(one.patternDigest.description == "2598c436a2cfcc73")
        // The FNV-1a 64 primitive itself, against the published test vectors.
        var empty = FNV1a64()
        #expect(empty.state == 0xcbf2_9ce4_8422_2325)
        empty.add("a")
        #expect(empty.state == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func valuesAndElementTypeDoNotMatter() throws {
        let f = try sample(Float.self).patternDigest
        #expect(try sample(BFloat16.self).patternDigest == f)
        #expect(try sample(Double.self).patternDigest == f)
        let other = try CSRMatrix<Float>(rows: 3, columns: 4, rowOffsets: [0, 2, 2, 3], columnIndices: [0, 2, 3], values: [9, 9, 9])
        #expect(other.patternDigest == f)
        let moved = try CSRMatrix<Float>(rows: 3, columns: 4, rowOffsets: [0, 2, 2, 3], columnIndices: [0, 1, 3], values: [1, 1, 1])
        #expect(moved.patternDigest != f)
        let shifted = try CSRMatrix<Float>(rows: 3, columns: 4, rowOffsets: [0, 2, 3, 3], columnIndices: [0, 2, 3], values: [1, 1, 1])
        #expect(shifted.patternDigest != f)
    }

    @Test func bsrDigestIncludesBlockShape() throws {
        let csr = try sample(Float.self)
        let a = try csr.bsr(blockRows: 1, blockColumns: 2, padShape: true)
        let b = try csr.bsr(blockRows: 2, blockColumns: 1, padShape: true)
        #expect(a.patternDigest != b.patternDigest)
        #expect(a.converted(to: Float16.self).patternDigest == a.patternDigest)
    }

    @Test func textAndCodableForms() throws {
        #expect(PatternDigest(value: 1).description == "0000000000000001")
        #expect(PatternDigest(value: .max).description == "ffffffffffffffff")
        #expect(PatternDigest("7EEFA7257EE9FB26") == PatternDigest(value: 0x7eef_a725_7ee9_fb26))
        #expect(PatternDigest("+eefa7257ee9fb26") == nil)
        #expect(PatternDigest("7eefa7257ee9fb2") == nil)
        #expect(PatternDigest("7eefa7257ee9fb2g") == nil)
        let digest = try sample(Float.self).patternDigest
        let json = try JSONEncoder().encode([digest])
        #expect(String(decoding: json, as: UTF8.self) == "[\"7eefa7257ee9fb26\"]")
        #expect(try JSONDecoder().decode([PatternDigest].self, from: json) == [digest])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([PatternDigest].self, from: Data("[\"xyz\"]".utf8)) }
    }
}
