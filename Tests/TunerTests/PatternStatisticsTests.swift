import SparseFormats
import Testing
@testable import Tuner

@Suite struct PatternStatisticsTests {
    @Test func statisticsOfASmallPatternMatchTheirDefinitions() throws {
        // Rows of 2, 0 and 4 entries over 5 columns; columns 0 and 4 hold two entries each.
        let matrix = try CSRMatrix<Float>(
            rows: 3, columns: 5, rowOffsets: [0, 2, 2, 6], columnIndices: [0, 4, 0, 1, 2, 4],
            values: [1, 2, 3, 4, 5, 6])
        let statistics = PatternStatistics(matrix)
        #expect(statistics.rows == 3 && statistics.columns == 5 && statistics.nnz == 6)
        #expect(statistics.maxRowLength == 4 && statistics.emptyRows == 1)
        #expect(statistics.meanRowLength == 2)
        // Population std of (2, 0, 4) is sqrt(8 / 3).
        #expect(abs(statistics.rowLengthStd - (8.0 / 3).squareRoot()) < 1e-12)
        #expect(abs(statistics.rowLengthCV - (8.0 / 3).squareRoot() / 2) < 1e-12)
        // Columns (2, 1, 1, 0, 2): mean 1.2, population variance 0.56.
        #expect(abs(statistics.columnLengthCV - 0.56.squareRoot() / 1.2) < 1e-12)
        #expect(abs(statistics.density - 0.4) < 1e-12)
        #expect(statistics.describes(rows: 3, columns: 5, nnz: 6, maxRowLength: 4))
        #expect(!statistics.describes(rows: 3, columns: 5, nnz: 6, maxRowLength: 3))
    }

    @Test func anEmptyMatrixHasZeroSpreadNotNaN() throws {
        let matrix = try CSRMatrix<Float>(rows: 2, columns: 3, rowOffsets: [0, 0, 0], columnIndices: [], values: [])
        let statistics = PatternStatistics(matrix)
        #expect(statistics.rowLengthCV == 0 && statistics.columnLengthCV == 0 && statistics.density == 0)
    }
}
