import Foundation
import Testing
@testable import SparseFormats

@Suite struct StatisticsTests {
    /// 4 x 5, entries per row [2, 0, 5, 1], per column [2, 1, 1, 3, 1].
    func sample() throws -> CSRMatrix<Float> {
        try CSRMatrix(rows: 4, columns: 5, rowOffsets: [0, 2, 2, 7, 8],
                      columnIndices: [0, 3, 0, 1, 2, 3, 4, 3], values: [1, 2, 3, 4, 5, 6, 7, 0])
    }

    @Test func rowStatisticsUsePopulationStd() throws {
        // Expected values as NumPy computes them (np.std, ddof = 0), which is what dlmc.csv holds.
        let s = try sample().rowStatistics
        #expect(s.rows == 4 && s.columns == 5 && s.nnz == 8)
        #expect(s.minPerRow == 0 && s.maxPerRow == 5 && s.emptyRows == 1)
        #expect(s.meanPerRow == 2)
        #expect(abs(s.stdPerRow - 3.5.squareRoot()) < 1e-15)
        #expect(abs(s.meanPerColumn - 1.6) < 1e-15)
        #expect(abs(s.stdPerColumn - 0.8) < 1e-15)
        #expect(abs(s.sparsity - 0.6) < 1e-15)
    }

    @Test func rowStatisticsOfAwkwardShapes() throws {
        let empty = try CSRMatrix<Float>(zeros: 0, 0).rowStatistics
        #expect(empty == RowStatistics(try CSRMatrix<Double>(zeros: 0, 0)))
        #expect(empty.minPerRow == 0 && empty.maxPerRow == 0 && empty.meanPerRow == 0 && empty.stdPerRow == 0)
        #expect(empty.emptyRows == 0 && empty.sparsity == 0)
        let noColumns = try CSRMatrix<Float>(zeros: 3, 0).rowStatistics
        #expect(noColumns.emptyRows == 3 && noColumns.meanPerColumn == 0 && noColumns.stdPerColumn == 0)
        let one = try CSRMatrix<Float>(rows: 1, columns: 1, rowOffsets: [0, 1], columnIndices: [0], values: [2]).rowStatistics
        #expect(one.minPerRow == 1 && one.maxPerRow == 1 && one.stdPerRow == 0 && one.sparsity == 0)
    }

    @Test func statisticsAreCodable() throws {
        let s = try sample().rowStatistics
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(RowStatistics.self, from: data) == s)
        let b = try sample().blockStatistics(blockRows: 2, blockColumns: 2)
        #expect(try JSONDecoder().decode(BlockStatistics.self, from: JSONEncoder().encode(b)) == b)
    }

    @Test func blockStatisticsCountBlocksLikeBSR() throws {
        let csr = try sample()
        let b = try csr.blockStatistics(blockRows: 2, blockColumns: 2)
        #expect(b.totalBlocks == 6 && b.nonEmptyBlocks == 5 && b.storedElements == 20 && b.nnz == 8)
        #expect(abs(b.meanFill - 0.4) < 1e-15)
        let bsr = try csr.bsr(blockRows: 2, blockColumns: 2, padShape: true)
        #expect(bsr.nnzBlocks == b.nonEmptyBlocks && bsr.storedCount == b.storedElements)
        let ones = try csr.blockStatistics(blockRows: 1, blockColumns: 1)
        #expect(ones.nonEmptyBlocks == 8 && ones.meanFill == 1 && ones.totalBlocks == 20)
        #expect(throws: SparseFormatError.invalidBlockShape(blockRows: 2, blockColumns: 0)) {
            try csr.blockStatistics(blockRows: 2, blockColumns: 0)
        }
        let empty = try CSRMatrix<Float>(zeros: 0, 7).blockStatistics(blockRows: 4, blockColumns: 4)
        #expect(empty.totalBlocks == 0 && empty.nonEmptyBlocks == 0 && empty.meanFill == 0)
    }

    /// Over random matrices the block counts equal what the BSR conversion stores.
    @Test func blockStatisticsMatchConversionProperty() throws {
        var random = RandomMatrices(seed: 3)
        for _ in 0..<50 {
            let csr = try random.anyDense().csr()
            let r = random.int(1...5), c = random.int(1...5)
            let b = try csr.blockStatistics(blockRows: r, blockColumns: c)
            let bsr = try csr.bsr(blockRows: r, blockColumns: c, padShape: true)
            #expect(b.nonEmptyBlocks == bsr.nnzBlocks)
            #expect(b.storedElements == bsr.storedCount)
            #expect(b.totalBlocks == bsr.blockRowCount * bsr.blockColumnCount)
            #expect(bsr.nonzeroCount == csr.nnz)
        }
    }
}
