import SparseFormats
import Testing

@Suite("Exact blocking of a CSR matrix")
struct ExactBlockingTests {
    /// 8 x 8 with two full 4x4 blocks (block rows 0 and 1, block columns 1 and 0).
    static func blocky() throws -> CSRMatrix<Float> {
        var storage = [Float](repeating: 0, count: 64)
        for r in 0..<4 { for c in 4..<8 { storage[r * 8 + c] = Float(r * 8 + c + 1) } }
        for r in 4..<8 { for c in 0..<4 { storage[r * 8 + c] = Float(r * 8 + c + 1) } }
        return try CSRMatrix(try DenseMatrix(rows: 8, columns: 8, storage: storage))
    }

    @Test func takesTheFirstShapeWhoseBlocksAreFull() throws {
        let csr = try Self.blocky()
        let bsr = try #require(csr.exactBlocking([(rows: 8, columns: 8), (rows: 4, columns: 4), (rows: 1, columns: 4)]))
        #expect(bsr.blockRows == 4 && bsr.blockColumns == 4 && bsr.storedCount == csr.nnz)
        #expect(bsr.dense() == csr.dense())
        #expect(csr.exactBlocking([(rows: 3, columns: 3)]) == nil, "shape does not divide")
        var holed = csr.dense()
        holed[0, 4] = 0
        #expect(try CSRMatrix(holed).exactBlocking([(rows: 4, columns: 4)]) == nil, "a block with a zero is not exact")
        #expect(try CSRMatrix(holed).exactBlocking([(rows: 4, columns: 4), (rows: 1, columns: 1)])?.blockRows == 1)
    }
}
