import Testing
@testable import SparseFormats

@Suite struct ReferenceSpMMTests {
    @Test func bsrWithBiasAndReLUByHand() throws {
        // W = [[1, 2], [0, -1]] as one 2x2 block, X = [[1, 0], [1, 1]].
        let w = try BSRMatrix<Float>(rows: 2, columns: 2, blockRows: 2, blockColumns: 2, rowOffsets: [0, 1],
                                     columnIndices: [0], values: [1, 2, 0, -1])
        let x = try DenseMatrix<Float>(rows: 2, columns: 2, storage: [1, 0, 1, 1])
        #expect(try ReferenceSpMM.multiply(w, x).storage == [3, 2, -1, -1])
        #expect(try ReferenceSpMM.multiply(w, x, bias: [1, 0.5]).storage == [4, 3, -0.5, -0.5])
        #expect(try ReferenceSpMM.multiply(w, x, bias: [1, 0.5], relu: true).storage == [4, 3, 0, 0])
        #expect(throws: SparseFormatError.shapeMismatch(operation: "spmm W x X", left: [2, 2], right: [3, 2])) {
            try ReferenceSpMM.multiply(w, try DenseMatrix<Float>(zeros: 3, 2))
        }
        #expect(throws: SparseFormatError.shapeMismatch(operation: "spmm bias", left: [2, 2], right: [1])) {
            try ReferenceSpMM.multiply(w, x, bias: [1])
        }
        #expect(throws: SparseFormatError.shapeMismatch(operation: "linear X x W^T", left: [2, 3], right: [2, 2])) {
            try ReferenceSpMM.linear(try DenseMatrix<Float>(zeros: 2, 3), w)
        }
    }

    @Test func emptyProducts() throws {
        let w = try CSRMatrix<Float>(zeros: 3, 0).bsr(blockRows: 1, blockColumns: 1)
        let y = try ReferenceSpMM.multiply(w, try DenseMatrix<Float>(zeros: 0, 4), bias: [1, 2, 3], relu: true)
        #expect(y.shape == [3, 4] && y.storage == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        let none = try ReferenceSpMM.multiply(try CSRMatrix<Float>(zeros: 0, 0).bsr(blockRows: 2, blockColumns: 2),
                                              try DenseMatrix<Float>(zeros: 0, 5))
        #expect(none.shape == [0, 5])
    }

    /// BSR and CSR references agree on the same matrix (padding adds exact zeros, and the
    /// summation order per output is the same column order), and `linear` is the transpose
    /// of `multiply` for both.
    @Test func bsrEqualsCSRAndLinearIsTransposeProperty() throws {
        var random = RandomMatrices(seed: 123)
        for _ in 0..<50 {
            let dense = random.anyDense(maxSide: 11)
            let csr = try dense.csr()
            let r = random.int(1...4), c = random.int(1...4)
            let bsr = try csr.bsr(blockRows: r, blockColumns: c, padShape: true)
            let m = random.int(0...6)
            var xStorage = [Float](repeating: 0, count: bsr.columns * m)
            for i in 0..<(dense.columns * m) { xStorage[i] = random.generator.nextSignedUnitFloat() }
            // X padded with zero rows to the BSR's column count.
            let xPadded = try DenseMatrix(rows: bsr.columns, columns: m, storage: xStorage)
            let x = try DenseMatrix(rows: dense.columns, columns: m, storage: Array(xStorage.prefix(dense.columns * m)))
            let bias = (0..<dense.rows).map { _ in Double(random.generator.nextSignedUnitFloat()) }
            let relu = random.chance(0.5)
            let yCSR = try ReferenceSpMM.multiply(csr, x, bias: bias, relu: relu)
            let paddedBias = bias + [Double](repeating: 0, count: bsr.rows - dense.rows)
            let yBSR = try ReferenceSpMM.multiply(bsr, xPadded, bias: paddedBias, relu: relu)
            #expect(Array(yBSR.storage.prefix(dense.rows * m)) == yCSR.storage)
            #expect(yBSR.storage.dropFirst(dense.rows * m).allSatisfy { $0 == 0 })

            let xT = x.transposed()
            #expect(try ReferenceSpMM.linear(xT, csr, bias: bias, relu: relu) == yCSR.transposed())
            #expect(try ReferenceSpMM.linear(xPadded.transposed(), bsr, bias: paddedBias, relu: relu) == yBSR.transposed())
            // Against a plain dense product.
            for i in 0..<dense.rows {
                for j in 0..<m {
                    var sum = 0.0
                    for k in 0..<dense.columns { sum += Double(dense[i, k]) * Double(x[k, j]) }
                    sum += bias[i]
                    if relu { sum = max(sum, 0) }
                    #expect(abs(yCSR[i, j] - sum) <= 1e-12)
                }
            }
        }
    }
}
