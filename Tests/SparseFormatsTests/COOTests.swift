import Testing
@testable import SparseFormats

@Suite struct COOTests {
    @Test func unsortedTriplesWithDuplicatesAreSummed() throws {
        let csr = try CSRMatrix<Float>.fromCOO(
            rows: 3, columns: 4,
            rowIndices: [2, 0, 2, 0, 2, 0],
            columnIndices: [3, 1, 0, 1, 3, 0],
            values: [1, 2, 3, 4, 5, 0])
        #expect(csr.rowOffsets == [0, 2, 2, 4])
        #expect(csr.columnIndices == [0, 1, 0, 3])
        // An explicit zero stays an entry, as in scipy.
        #expect(csr.values == [0, 6, 3, 6])
    }

    @Test func int32IndicesAndEmptyInputs() throws {
        let csr = try CSRMatrix<Double>.fromCOO(rows: 2, columns: 2, rowIndices: [Int32(1)], columnIndices: [Int32(1)], values: [9])
        #expect(csr.rowOffsets == [0, 0, 1] && csr.values == [9])
        let empty = try CSRMatrix<Float>.fromCOO(rows: 0, columns: 0, rowIndices: [Int](), columnIndices: [], values: [])
        #expect(empty.shape == [0, 0] && empty.rowOffsets == [0])
        let noRows = try CSRMatrix<Float>.fromCOO(rows: 5, columns: 0, rowIndices: [Int](), columnIndices: [], values: [])
        #expect(noRows.rowOffsets == [0, 0, 0, 0, 0, 0])
    }

    @Test func rangeAndCountErrors() {
        #expect(throws: SparseFormatError.rowOutOfRange(position: 0, row: -1, rows: 2)) {
            try CSRMatrix<Float>.fromCOO(rows: 2, columns: 2, rowIndices: [-1], columnIndices: [0], values: [1])
        }
        #expect(throws: SparseFormatError.rowOutOfRange(position: 2, row: 2, rows: 2)) {
            try CSRMatrix<Float>.fromCOO(rows: 2, columns: 2, rowIndices: [0, 1, 2], columnIndices: [0, 0, 0], values: [1, 1, 1])
        }
        #expect(throws: SparseFormatError.columnOutOfRange(row: 1, position: 1, column: 5, columns: 5)) {
            try CSRMatrix<Float>.fromCOO(rows: 2, columns: 5, rowIndices: [0, 1], columnIndices: [4, 5], values: [1, 1])
        }
        #expect(throws: SparseFormatError.columnOutOfRange(row: 0, position: 0, column: -3, columns: 5)) {
            try CSRMatrix<Float>.fromCOO(rows: 2, columns: 5, rowIndices: [0], columnIndices: [-3], values: [1])
        }
        #expect(throws: SparseFormatError.valueCount(expected: 2, actual: 1)) {
            try CSRMatrix<Float>.fromCOO(rows: 2, columns: 2, rowIndices: [0, 1], columnIndices: [0, 1], values: [1])
        }
        #expect(throws: SparseFormatError.valueCount(expected: 2, actual: 3)) {
            try CSRMatrix<Float>.fromCOO(rows: 2, columns: 2, rowIndices: [0, 1], columnIndices: [0, 1, 1], values: [1, 1])
        }
        #expect(throws: SparseFormatError.negativeDimension(name: "rows", value: -1)) {
            try CSRMatrix<Float>.fromCOO(rows: -1, columns: 2, rowIndices: [Int](), columnIndices: [], values: [])
        }
    }

    /// COO in random order with duplicates equals a dictionary sum reference, and equals
    /// canonicalizing the same triples grouped by row.
    @Test func matchesSumReference() throws {
        var random = RandomMatrices(seed: 77)
        for _ in 0..<50 {
            let rows = random.int(0...9), columns = random.int(0...9)
            let count = rows * columns == 0 ? 0 : random.int(0...40)
            var r = [Int](), c = [Int](), v = [Double]()
            var sums = [Int: Double]()
            for _ in 0..<count {
                let i = random.int(0...(rows - 1)), j = random.int(0...(columns - 1))
                let value = Double(random.generator.nextSignedUnitFloat())
                r.append(i); c.append(j); v.append(value)
                sums[i * columns + j, default: 0] += value
            }
            let csr = try CSRMatrix<Double>.fromCOO(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
            #expect(csr.nnz == sums.count)
            let keys = sums.keys.sorted()
            #expect(csr.columnIndices == keys.map { Int32($0 % columns) })
            for (position, key) in keys.enumerated() {
                #expect(csr.values[position] == sums[key])
            }
        }
    }
}
