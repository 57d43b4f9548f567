import Testing
@testable import SparseFormats

@Suite struct DenseCSRConversionTests {
    @Test func denseToCSRDropsExactZerosOnly() throws {
        let dense = try DenseMatrix<Float>(rows: 3, columns: 4, storage: [
            0, 1.5, -0.0, 2,
            0, 0, 0, 0,
            .nan, -3, 0, .infinity,
        ])
        let csr = try CSRMatrix(dense)
        #expect(csr.rowOffsets == [0, 2, 2, 5])
        #expect(csr.columnIndices == [1, 3, 0, 1, 3])
        #expect(csr.values[0] == 1.5 && csr.values[1] == 2 && csr.values[2].isNaN && csr.values[4] == .infinity)
        let back = csr.dense()
        #expect(back.shape == [3, 4])
        #expect(back[2, 1] == -3 && back[0, 2] == 0 && back[1, 3] == 0)
    }

    @Test(arguments: [(0, 0), (0, 5), (4, 0), (1, 1)])
    func emptyShapes(rows: Int, columns: Int) throws {
        let dense = try DenseMatrix<Float>(zeros: rows, columns)
        let csr = try dense.csr()
        #expect(csr.shape == [rows, columns] && csr.nnz == 0 && csr.rowOffsets.count == rows + 1)
        #expect(csr.dense() == dense)
        #expect(csr.transposed().shape == [columns, rows])
    }

    @Test func oneByOne() throws {
        let csr = try DenseMatrix<Double>(rows: 1, columns: 1, storage: [-7]).csr()
        #expect(csr.rowOffsets == [0, 1] && csr.columnIndices == [0] && csr.values == [-7])
    }

    @Test func transposeMatchesDenseTranspose() throws {
        var random = RandomMatrices(seed: 11)
        for _ in 0..<50 {
            let dense = random.anyDense()
            let csr = try dense.csr()
            let t = csr.transposed()
            #expect(t.dense() == dense.transposed())
            // Validation of the result as canonical CSR.
            _ = try CSRMatrix(rows: t.rows, columns: t.columns, rowOffsets: t.rowOffsets,
                              columnIndices: t.columnIndices, values: t.values)
            #expect(t.transposed() == csr)
        }
    }

    @Test func transposeKeepsExplicitZeros() throws {
        let csr = try CSRMatrix<Float>(rows: 2, columns: 3, rowOffsets: [0, 2, 3], columnIndices: [0, 2, 2], values: [0, 1, 2])
        let t = csr.transposed()
        #expect(t.rowOffsets == [0, 1, 1, 3] && t.columnIndices == [0, 0, 1] && t.values == [0, 1, 2])
    }
}

@Suite struct BSRConversionTests {
    /// 4 x 6 with rows: [1 0 | 0 0 | 0 2], [0 0 | 0 0 | 0 0], empty, [0 3 | 0 0 | 4 5]
    func sample() throws -> CSRMatrix<Float> {
        try CSRMatrix(rows: 4, columns: 6, rowOffsets: [0, 2, 2, 2, 5],
                      columnIndices: [0, 5, 1, 4, 5], values: [1, 2, 3, 4, 5])
    }

    @Test func csrToBSRPadsPartlyFilledBlocks() throws {
        let source = try sample()
        let bsr = try source.bsr(blockRows: 2, blockColumns: 2)
        #expect(bsr.rowOffsets == [0, 2, 4])
        #expect(bsr.columnIndices == [0, 2, 0, 2])
        #expect(bsr.values == [1, 0, 0, 0,  0, 2, 0, 0,  0, 0, 0, 3,  0, 0, 4, 5])
        #expect(bsr.nonzeroCount == 5 && bsr.storedCount == 16)
        #expect(try bsr.csr() == source)
        #expect(bsr.dense() == source.dense())
        #expect(try BSRMatrix(source.dense(), blockRows: 2, blockColumns: 2) == bsr)
    }

    @Test func keepingZerosListsEveryStoredElement() throws {
        let source = try sample()
        let bsr = try source.bsr(blockRows: 2, blockColumns: 2)
        let all = try bsr.csr(droppingZeros: false)
        #expect(all.nnz == 16)
        #expect(all.rowOffsets == [0, 4, 8, 12, 16])
        #expect(all.dense() == source.dense())
    }

    @Test func explicitZeroInCSRStillMakesABlock() throws {
        let csr = try CSRMatrix<Float>(rows: 2, columns: 4, rowOffsets: [0, 1, 1], columnIndices: [3], values: [0])
        let bsr = try csr.bsr(blockRows: 2, blockColumns: 2)
        #expect(bsr.nnzBlocks == 1 && bsr.columnIndices == [1])
        // From dense, an all-zero block is not stored.
        #expect(try csr.dense().bsr(blockRows: 2, blockColumns: 2).nnzBlocks == 0)
    }

    @Test func notDivisibleThrowsUnlessPadded() throws {
        let csr = try sample()
        #expect(throws: SparseFormatError.shapeNotDivisibleByBlock(rows: 4, columns: 6, blockRows: 3, blockColumns: 4)) {
            try csr.bsr(blockRows: 3, blockColumns: 4)
        }
        #expect(throws: SparseFormatError.shapeNotDivisibleByBlock(rows: 4, columns: 6, blockRows: 3, blockColumns: 4)) {
            try csr.dense().bsr(blockRows: 3, blockColumns: 4)
        }
        #expect(throws: SparseFormatError.invalidBlockShape(blockRows: 0, blockColumns: 4)) {
            try csr.bsr(blockRows: 0, blockColumns: 4, padShape: true)
        }
        let padded = try csr.bsr(blockRows: 3, blockColumns: 4, padShape: true)
        #expect(padded.shape == [6, 8])
        #expect(padded.rowOffsets == [0, 2, 4] && padded.columnIndices == [0, 1, 0, 1])
        #expect(try csr.dense().bsr(blockRows: 3, blockColumns: 4, padShape: true) == padded)
        let back = try padded.csr()
        #expect(back.shape == [6, 8] && back.nnz == 5)
        let paddedDense = padded.dense()
        for r in 0..<6 {
            for c in 0..<8 { #expect(paddedDense[r, c] == (r < 4 && c < 6 ? csr.dense()[r, c] : 0)) }
        }
    }

    @Test(arguments: [(0, 0, 2, 3), (0, 6, 2, 3), (4, 0, 2, 3), (1, 1, 1, 1), (1, 1, 4, 4)])
    func awkwardShapes(rows: Int, columns: Int, r: Int, c: Int) throws {
        let dense = try DenseMatrix<Float>(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { Float($0 + 1) })
        let bsr = try dense.csr().bsr(blockRows: r, blockColumns: c, padShape: true)
        let viaDense = try dense.bsr(blockRows: r, blockColumns: c, padShape: true)
        #expect(bsr == viaDense)
        #expect(bsr.rows % r == 0 && bsr.columns % c == 0 && bsr.rows >= rows && bsr.columns >= columns)
        let back = bsr.dense()
        for i in 0..<rows { for j in 0..<columns { #expect(back[i, j] == dense[i, j]) } }
    }

    @Test func denseRowAndEmptyRows() throws {
        // One fully dense row among empty ones, 1x1 blocks (BSR = CSR) and full-width blocks.
        var storage = [Float](repeating: 0, count: 5 * 7)
        for c in 0..<7 { storage[2 * 7 + c] = Float(c + 1) }
        let dense = try DenseMatrix(rows: 5, columns: 7, storage: storage)
        let csr = try dense.csr()
        let ones = try csr.bsr(blockRows: 1, blockColumns: 1)
        #expect(ones.rowOffsets == csr.rowOffsets && ones.columnIndices == csr.columnIndices && ones.values == csr.values)
        let wide = try csr.bsr(blockRows: 5, blockColumns: 7)
        #expect(wide.nnzBlocks == 1 && wide.values == storage)
    }

    /// dense -> CSR -> BSR -> dense is the identity, for divisible and padded shapes.
    @Test func roundTripProperty() throws {
        var random = RandomMatrices(seed: 2024)
        for _ in 0..<60 {
            let dense = random.anyDense()
            let r = random.int(1...4), c = random.int(1...4)
            let csr = try dense.csr()
            let bsr = try csr.bsr(blockRows: r, blockColumns: c, padShape: true)
            _ = try BSRMatrix(rows: bsr.rows, columns: bsr.columns, blockRows: r, blockColumns: c,
                              rowOffsets: bsr.rowOffsets, columnIndices: bsr.columnIndices, values: bsr.values)
            #expect(bsr == (try dense.bsr(blockRows: r, blockColumns: c, padShape: true)))
            let back = bsr.dense()
            if dense.rows % r == 0 && dense.columns % c == 0 {
                #expect(back == dense)
                #expect(try bsr.csr() == csr)
            } else {
                for i in 0..<back.rows {
                    for j in 0..<back.columns {
                        #expect(back[i, j] == (i < dense.rows && j < dense.columns ? dense[i, j] : 0))
                    }
                }
            }
        }
    }
}
