import Testing
@testable import SparseFormats

/// `RowStatistics` against the numbers `dlmc.csv` publishes for one real DLMC matrix:
/// `rn50/magnitude_pruning/0.98/bottleneck_1_block_group_projection_block_group1.smtx`
/// (64 x 64, 81 nonzeros, with empty rows), its pattern copied here verbatim.
@Suite struct DLMCStatisticsTests {
    static let rowOffsets: [Int32] = [
        0, 2, 3, 5, 6, 6, 7, 8, 9, 10, 12, 12, 13, 14, 14, 15, 17, 20, 21, 24, 25, 27, 28, 30,
        31, 32, 32, 34, 34, 34, 35, 36, 37, 38, 39, 40, 43, 46, 46, 47, 47, 47, 48, 50, 51, 52, 53, 54,
        56, 57, 57, 59, 62, 62, 66, 68, 71, 72, 73, 75, 76, 78, 79, 80, 81,
    ]
    static let columnIndices: [Int32] = [
        21, 28, 40, 38, 43, 34, 9, 54, 35, 37, 25, 55, 62, 37, 40, 52, 56, 37, 41, 48, 40, 28, 59, 62,
        62, 8, 57, 35, 20, 62, 63, 5, 44, 56, 48, 27, 28, 52, 52, 59, 22, 34, 53, 2, 18, 51, 47, 47,
        2, 51, 4, 63, 56, 56, 16, 20, 59, 21, 43, 1, 17, 63, 3, 21, 34, 57, 23, 38, 1, 17, 41, 63,
        20, 4, 52, 8, 16, 28, 48, 22, 55,
    ]

    @Test func matchesDLMCCSV() throws {
        let csr = try CSRMatrix<Float>(
            rows: 64, columns: 64, rowOffsets: Self.rowOffsets, columnIndices: Self.columnIndices,
            values: [Float](repeating: 1, count: Self.columnIndices.count))
        let s = csr.rowStatistics
        // dlmc.csv: nrows 64, ncols 64, nnz 81.0, mean_nnz_per_row 1.265625, std_nnz_per_row 0.905576229095,
        // mean_nnz_per_col 1.265625, std_nnz_per_col 1.31389439106, sparsity 0.980224609375 (Float32 values).
        #expect(s.rows == 64 && s.columns == 64 && s.nnz == 81)
        #expect(s.meanPerRow == 1.265625 && s.meanPerColumn == 1.265625)
        #expect(abs(s.stdPerRow - 0.905576229095) < 1e-7)
        #expect(abs(s.stdPerColumn - 1.31389439106) < 1e-7)
        #expect(s.sparsity == 0.980224609375)
        #expect(s.emptyRows == 11 && s.minPerRow == 0 && s.maxPerRow == 4)  // counted with NumPy
    }
}
