import Testing
@testable import SparseFormats

/// Every `SparseFormatError` case, triggered with the exact case expected.
@Suite struct ValidationErrorTests {
    func csr(_ rows: Int, _ columns: Int, _ offsets: [Int32], _ indices: [Int32], _ values: [Float]? = nil,
             requireFinite: Bool = false) throws(SparseFormatError) -> CSRMatrix<Float> {
        try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices,
                      values: values ?? [Float](repeating: 1, count: indices.count), requireFinite: requireFinite)
    }

    @Test func validCSRIncludingAwkwardShapes() throws {
        #expect(try csr(0, 0, [0], []).nnz == 0)
        #expect(try csr(0, 7, [0], []).shape == [0, 7])
        #expect(try csr(3, 0, [0, 0, 0, 0], []).nnz == 0)
        #expect(try csr(1, 1, [0, 1], [0]).nnz == 1)
        #expect(try csr(3, 4, [0, 0, 4, 4], [0, 1, 2, 3]).range(ofRow: 1) == 0..<4)
    }

    @Test func negativeAndTooLargeSizes() {
        #expect(throws: SparseFormatError.negativeDimension(name: "rows", value: -1)) { try CSRMatrix<Float>(zeros: -1, 3) }
        #expect(throws: SparseFormatError.negativeDimension(name: "columns", value: -2)) { try csr(0, -2, [0], []) }
        let tooLarge = Int(Int32.max) + 1
        #expect(throws: SparseFormatError.dimensionTooLarge(name: "rows", value: tooLarge, limit: Int(Int32.max))) {
            try CSRMatrix<Float>(zeros: tooLarge, 0)
        }
        #expect(throws: SparseFormatError.dimensionTooLarge(name: "columns", value: tooLarge, limit: Int(Int32.max))) {
            try DenseMatrix<Float>(zeros: 0, tooLarge)
        }
        #expect(throws: SparseFormatError.negativeDimension(name: "rows", value: -4)) {
            try BSRMatrix<Float>(rows: -4, columns: 4, blockRows: 2, blockColumns: 2, rowOffsets: [0], columnIndices: [], values: [])
        }
    }

    @Test func rowOffsetDefects() {
        #expect(throws: SparseFormatError.rowOffsetsCount(expected: 3, actual: 2)) { try csr(2, 2, [0, 0], []) }
        #expect(throws: SparseFormatError.rowOffsetsStart(value: 1)) { try csr(2, 2, [1, 1, 1], [0]) }
        #expect(throws: SparseFormatError.rowOffsetsDecreasing(row: 1, start: 2, end: 1)) {
            try csr(3, 3, [0, 2, 1, 2], [0, 1])
        }
        #expect(throws: SparseFormatError.rowOffsetsEnd(value: 1, nnz: 2)) { try csr(2, 3, [0, 1, 1], [0, 1]) }
        #expect(throws: SparseFormatError.rowOffsetsEnd(value: 3, nnz: 2)) { try csr(2, 3, [0, 1, 3], [0, 1]) }
        #expect(throws: SparseFormatError.valueCount(expected: 2, actual: 1)) { try csr(1, 3, [0, 2], [0, 1], [1]) }
    }

    @Test func columnDefects() {
        #expect(throws: SparseFormatError.columnOutOfRange(row: 1, position: 1, column: 3, columns: 3)) {
            try csr(2, 3, [0, 1, 2], [0, 3])
        }
        #expect(throws: SparseFormatError.columnOutOfRange(row: 0, position: 0, column: -1, columns: 3)) {
            try csr(1, 3, [0, 1], [-1])
        }
        #expect(throws: SparseFormatError.unsortedColumns(row: 2, position: 2, previous: 2, column: 0)) {
            try csr(3, 3, [0, 0, 1, 3], [1, 2, 0])
        }
        #expect(throws: SparseFormatError.duplicateColumn(row: 0, position: 1, column: 1)) { try csr(1, 3, [0, 2], [1, 1]) }
    }

    @Test func nonFiniteValuesOnlyWhenRequired() throws {
        // Row 0 and 2 are empty, so the row search must skip them.
        let offsets: [Int32] = [0, 0, 2, 2, 3]
        #expect(throws: SparseFormatError.nonFiniteValue(row: 3, column: 1, value: .infinity)) {
            try csr(4, 3, offsets, [0, 2, 1], [1, 2, .infinity], requireFinite: true)
        }
        #expect(throws: SparseFormatError.nonFiniteValue(row: 1, column: 2, value: -.infinity)) {
            try csr(4, 3, offsets, [0, 2, 1], [1, -.infinity, 3], requireFinite: true)
        }
        let error = #expect(throws: SparseFormatError.self) {
            try csr(4, 3, offsets, [0, 2, 1], [.nan, 1, 1], requireFinite: true)
        }
        // NaN never equals itself, so match the case and check the payload by hand.
        guard case let .nonFiniteValue(row, column, value)? = error else {
            Issue.record("expected nonFiniteValue, got \(String(describing: error))")
            return
        }
        #expect(row == 1 && column == 0 && value.isNaN)
        let lenient = try csr(4, 3, offsets, [0, 2, 1], [.nan, 1, .infinity])
        #expect(lenient.nonFiniteCount == 2)
    }

    @Test func bsrDefects() {
        func bsr(_ rows: Int, _ columns: Int, _ r: Int, _ c: Int, _ offsets: [Int32], _ indices: [Int32],
                 _ values: [Float]? = nil, requireFinite: Bool = false) throws(SparseFormatError) -> BSRMatrix<Float> {
            try BSRMatrix(rows: rows, columns: columns, blockRows: r, blockColumns: c, rowOffsets: offsets,
                          columnIndices: indices, values: values ?? [Float](repeating: 1, count: indices.count * r * c),
                          requireFinite: requireFinite)
        }
        #expect(throws: SparseFormatError.shapeNotDivisibleByBlock(rows: 5, columns: 4, blockRows: 2, blockColumns: 2)) {
            try bsr(5, 4, 2, 2, [0, 0, 0], [])
        }
        #expect(throws: SparseFormatError.invalidBlockShape(blockRows: 0, blockColumns: 2)) { try bsr(4, 4, 0, 2, [0], []) }
        #expect(throws: SparseFormatError.invalidBlockShape(blockRows: 2, blockColumns: -1)) { try bsr(4, 4, 2, -1, [0], []) }
        // An empty shape is divisible by any block; the block sides must still be bounded,
        // or blockRows * blockColumns would overflow (this used to trap).
        #expect(throws: SparseFormatError.dimensionTooLarge(name: "block rows", value: Int.max, limit: Int(Int32.max))) {
            try bsr(0, 0, Int.max, Int.max, [0], [], [])
        }
        #expect(throws: SparseFormatError.valueCount(expected: 8, actual: 3)) { try bsr(4, 4, 2, 2, [0, 2, 2], [0, 1], [1, 2, 3]) }
        #expect(throws: SparseFormatError.unsortedColumns(row: 0, position: 1, previous: 1, column: 0)) {
            try bsr(4, 4, 2, 2, [0, 2, 2], [1, 0])
        }
        #expect(throws: SparseFormatError.duplicateColumn(row: 1, position: 1, column: 0)) { try bsr(4, 4, 2, 2, [0, 0, 2], [0, 0]) }
        #expect(throws: SparseFormatError.columnOutOfRange(row: 0, position: 0, column: 2, columns: 2)) {
            try bsr(4, 4, 2, 2, [0, 1, 1], [2])
        }
        #expect(throws: SparseFormatError.rowOffsetsStart(value: 1)) { try bsr(4, 4, 2, 2, [1, 1, 1], [0]) }
        var values = [Float](repeating: 1, count: 8)
        values[7] = .infinity  // block 1 (block row 1, block column 0), element (1, 1)
        #expect(throws: SparseFormatError.nonFiniteValue(row: 3, column: 1, value: .infinity)) {
            try bsr(4, 4, 2, 2, [0, 1, 2], [1, 0], values, requireFinite: true)
        }
        #expect((try? bsr(4, 4, 2, 2, [0, 1, 2], [1, 0], values)) != nil)
        #expect((try? bsr(0, 0, 3, 5, [0], [], [])) != nil)
    }

    @Test func denseAndProductDefects() throws {
        #expect(throws: SparseFormatError.denseSizeMismatch(rows: 2, columns: 3, count: 5)) {
            try DenseMatrix<Float>(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5])
        }
        let w = try CSRMatrix<Float>(zeros: 2, 3)
        let x = try DenseMatrix<Float>(zeros: 4, 1)
        #expect(throws: SparseFormatError.shapeMismatch(operation: "spmm W x X", left: [2, 3], right: [4, 1])) {
            try ReferenceSpMM.multiply(w, x)
        }
        #expect(throws: SparseFormatError.shapeMismatch(operation: "spmm bias", left: [2, 3], right: [3])) {
            try ReferenceSpMM.multiply(w, try DenseMatrix<Float>(zeros: 3, 1), bias: [0, 0, 0])
        }
        #expect(throws: SparseFormatError.rowOutOfRange(position: 1, row: 2, rows: 2)) {
            try CSRMatrix<Float>.fromCOO(rows: 2, columns: 2, rowIndices: [0, 2], columnIndices: [0, 0], values: [1, 1])
        }
        #expect(throws: SparseFormatError.invalidPruning("N:M pruning needs M > 0, got 2:0")) {
            try PruningPattern(parsing: "2:0")
        }
    }

    @Test func errorDescriptionsNameTheDefect() {
        #expect(SparseFormatError.columnOutOfRange(row: 17, position: 40, column: 4099, columns: 4096).description
            == "column index 4099 at position 40 (row 17) is out of range 0..<4096")
        #expect(SparseFormatError.invalidPruning("x").description == "cannot prune: x")
    }
}
