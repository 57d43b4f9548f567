import Testing
@testable import SparseFormats

@Suite struct CanonicalTests {
    /// A loose CSR (unsorted, repeated columns) and its reference: per row, sort by column
    /// and sum repeats in input order (in Double).
    struct Loose {
        var rows: Int, columns: Int
        var offsets: [Int32], indices: [Int32], values: [Double]
    }

    func randomLoose(_ random: inout RandomMatrices) -> Loose {
        let rows = random.int(0...8), columns = random.int(0...8)
        var offsets: [Int32] = [0], indices = [Int32](), values = [Double]()
        for _ in 0..<rows {
            let count = columns == 0 ? 0 : random.int(0...(2 * columns))
            for _ in 0..<count {
                indices.append(Int32(random.int(0...(columns - 1))))
                values.append(Double(random.generator.nextSignedUnitFloat()))
            }
            offsets.append(Int32(indices.count))
        }
        return Loose(rows: rows, columns: columns, offsets: offsets, indices: indices, values: values)
    }

    @Test func canonicalizingEqualsSortAndSumAndIsIdempotent() throws {
        var random = RandomMatrices(seed: 5)
        for _ in 0..<50 {
            let loose = randomLoose(&random)
            let csr = try CSRMatrix<Double>.canonicalizing(
                rows: loose.rows, columns: loose.columns, rowOffsets: loose.offsets,
                columnIndices: loose.indices, values: loose.values)
            var expectedOffsets: [Int32] = [0], expectedIndices = [Int32](), expectedValues = [Double]()
            for row in 0..<loose.rows {
                var sums = [Int32: Double]()
                for p in Int(loose.offsets[row])..<Int(loose.offsets[row + 1]) {
                    sums[loose.indices[p], default: 0] += loose.values[p]
                }
                for column in sums.keys.sorted() {
                    expectedIndices.append(column)
                    expectedValues.append(sums[column]!)
                }
                expectedOffsets.append(Int32(expectedIndices.count))
            }
            #expect(csr.rowOffsets == expectedOffsets)
            #expect(csr.columnIndices == expectedIndices)
            #expect(csr.values == expectedValues)
            let again = try CSRMatrix<Double>.canonicalizing(
                rows: csr.rows, columns: csr.columns, rowOffsets: csr.rowOffsets,
                columnIndices: csr.columnIndices, values: csr.values)
            #expect(again == csr)
            // The canonical result passes strict validation.
            #expect(try CSRMatrix(rows: csr.rows, columns: csr.columns, rowOffsets: csr.rowOffsets,
                                  columnIndices: csr.columnIndices, values: csr.values) == csr)
        }
    }

    @Test func canonicalizingStillChecksStructure() {
        #expect(throws: SparseFormatError.columnOutOfRange(row: 0, position: 1, column: 3, columns: 3)) {
            try CSRMatrix<Float>.canonicalizing(rows: 1, columns: 3, rowOffsets: [0, 2], columnIndices: [1, 3], values: [1, 1])
        }
        #expect(throws: SparseFormatError.rowOffsetsDecreasing(row: 0, start: 0, end: -1)) {
            try CSRMatrix<Float>.canonicalizing(rows: 2, columns: 3, rowOffsets: [0, -1, 0], columnIndices: [], values: [])
        }
    }

    @Test func bsrCanonicalizingSumsRepeatedBlocks() throws {
        let bsr = try BSRMatrix<Float>.canonicalizing(
            rows: 2, columns: 4, blockRows: 2, blockColumns: 2, rowOffsets: [0, 3],
            columnIndices: [1, 0, 1], values: [1, 2, 3, 4,  5, 6, 7, 8,  10, 20, 30, 40])
        #expect(bsr.columnIndices == [0, 1])
        #expect(bsr.values == [5, 6, 7, 8, 11, 22, 33, 44])
        let again = try BSRMatrix<Float>.canonicalizing(
            rows: 2, columns: 4, blockRows: 2, blockColumns: 2, rowOffsets: bsr.rowOffsets,
            columnIndices: bsr.columnIndices, values: bsr.values)
        #expect(again == bsr)
    }
}
