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

/// Row-group packing: the columns each group of rows uses, in row order and in a given order.
@Suite struct RowGroupStatisticsTests {
    /// 4 x 5, rows {0, 3}, {}, {0, 1, 2, 3, 4}, {3} (an explicit zero counts as an entry).
    func sample() throws -> CSRMatrix<Float> {
        try CSRMatrix(rows: 4, columns: 5, rowOffsets: [0, 2, 2, 7, 8],
                      columnIndices: [0, 3, 0, 1, 2, 3, 4, 3], values: [1, 2, 3, 4, 5, 6, 7, 0])
    }

    @Test func countsTheUnionOfEachGroupsColumns() throws {
        let csr = try sample()
        // Groups {0, 1} and {2, 3}: 2 and 5 columns.
        let two = RowGroupStatistics(csr, groupSize: 2, ordering: .identity)
        #expect(two.groups == 2 && two.packedColumns == 7 && two.storedElements == 14)
        #expect(abs(two.fractionOfK - 0.7) < 1e-15 && abs(two.fill - 8.0 / 14) < 1e-15)
        // Rows 0 and 2 together, then 1 and 3: 5 and 1 columns.
        let paired = RowGroupStatistics(csr, groupSize: 2, ordering: .locality, order: try RowOrder([0, 2, 1, 3]))
        #expect(paired.packedColumns == 6 && paired.storedElements == 12 && abs(paired.fractionOfK - 0.6) < 1e-15)
        #expect(paired.ordering == .locality)
        // A short last group: {0, 1, 2} uses 5 columns, {3} one; stored 5 x 3 + 1 x 1.
        let three = RowGroupStatistics(csr, groupSize: 3, ordering: .identity)
        #expect(three.groups == 2 && three.packedColumns == 6 && three.storedElements == 16 && three.fill == 0.5)
        // One row a group stores each entry once; a size below 1 counts as 1.
        for size in [1, 0, -3] {
            let one = RowGroupStatistics(csr, groupSize: size, ordering: .identity)
            #expect(one.groupSize == 1 && one.packedColumns == 8 && one.fill == 1 && abs(one.fractionOfK - 0.4) < 1e-15)
        }
        // One group of every row: the distinct columns of the matrix.
        #expect(RowGroupStatistics(csr, groupSize: 64, ordering: .identity).packedColumns == 5)
        let empty = RowGroupStatistics(try CSRMatrix<Float>(zeros: 0, 7), groupSize: 8, ordering: .identity)
        #expect(empty.groups == 0 && empty.fractionOfK == 0 && empty.fill == 0)
        let noColumns = RowGroupStatistics(try CSRMatrix<Float>(zeros: 5, 0), groupSize: 8, ordering: .identity)
        #expect(noColumns.groups == 1 && noColumns.fractionOfK == 0)
        #expect(try JSONDecoder().decode(RowGroupStatistics.self, from: JSONEncoder().encode(two)) == two)
    }

    /// A uniformly random pattern of density d: a group of g rows uses about 1 - (1 - d)^g of K;
    /// the locality order never does worse on a matrix built of repeated row patterns.
    @Test func randomPatternsUseTheExpectedShareAndLocalityFindsSharedRows() throws {
        var random = RandomMatrices(seed: 18)
        func matrix(_ rows: [[Int]]) throws -> CSRMatrix<Float> {
            let columns = rows.flatMap { $0.map(Int32.init) }
            let offsets = rows.reduce(into: [Int32(0)]) { $0.append($0[$0.count - 1] + Int32($1.count)) }
            return try CSRMatrix(rows: rows.count, columns: 512, rowOffsets: offsets, columnIndices: columns,
                                 values: [Float](repeating: 1, count: columns.count))
        }
        let csr = try matrix((0..<256).map { _ in (0..<512).filter { _ in random.chance(0.1) } })
        let stats = csr.rowGroupStatistics()
        #expect(stats.map(\.groupSize) == [8, 8, 16, 16] && stats.map(\.ordering) == [.identity, .locality, .identity, .locality])
        #expect(abs(stats[0].fractionOfK - (1 - pow(0.9, 8))) < 0.02, "\(stats[0].fractionOfK)")
        #expect(abs(stats[2].fractionOfK - (1 - pow(0.9, 16))) < 0.02, "\(stats[2].fractionOfK)")
        #expect(stats.allSatisfy { abs($0.fill * Double($0.storedElements) - Double(csr.nnz)) < 1e-6 })
        // In row order a group of g rows is a g x 1 block row: BSR's count of non-empty g x 1 blocks.
        #expect(stats[0].packedColumns == (try csr.blockStatistics(blockRows: 8, blockColumns: 1)).nonEmptyBlocks)
        #expect(stats[2].packedColumns == (try csr.blockStatistics(blockRows: 16, blockColumns: 1)).nonEmptyBlocks)
        // 8 distinct row patterns, each repeated 8 times and scattered: row order mixes them, the
        // locality order groups the copies (one pattern a group: the group uses only its columns).
        let patterns = (0..<8).map { _ in (0..<512).filter { _ in random.chance(0.1) } }
        let repeated = try matrix((0..<64).map { patterns[($0 * 5) % 8] })
        let grouped = repeated.rowGroupStatistics(groupSizes: [8])
        #expect(grouped[1].fill > 0.99 && grouped[1].packedColumns < grouped[0].packedColumns / 2, "\(grouped)")
    }
}
