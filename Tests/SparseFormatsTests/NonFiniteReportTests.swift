import Foundation
import Testing
@testable import SparseFormats

@Suite struct NonFiniteReportTests {
    @Test func csrCountsAndFirstPosition() throws {
        let csr = try CSRMatrix<Float>(rows: 3, columns: 4, rowOffsets: [0, 1, 1, 4], columnIndices: [3, 0, 1, 2],
                                       values: [.infinity, .nan, -.infinity, -.infinity])
        let report = csr.nonFiniteReport
        #expect(report.nanCount == 1 && report.positiveInfinityCount == 1 && report.negativeInfinityCount == 2)
        #expect(report.infinityCount == 3 && report.nonFiniteCount == 4 && !report.isAllFinite)
        #expect(report.first == .init(row: 0, column: 3))
        #expect(report.description == "1 NaN, 1 +Inf, 2 -Inf; first at row 0, column 3")
        #expect(try JSONDecoder().decode(NonFiniteReport.self, from: JSONEncoder().encode(report)) == report)
    }

    @Test func allFiniteAndEmpty() throws {
        let finite = try DenseMatrix<Float>(rows: 2, columns: 2, storage: [1, 0, -3, .greatestFiniteMagnitude])
        #expect(finite.nonFiniteReport == NonFiniteReport())
        #expect(finite.nonFiniteReport.isAllFinite && finite.nonFiniteReport.first == nil)
        #expect(finite.nonFiniteReport.description == "all values finite")
        #expect(try CSRMatrix<Float>(zeros: 0, 0).nonFiniteReport.isAllFinite)
        #expect(try DenseMatrix<BFloat16>(zeros: 0, 4).nonFiniteReport.isAllFinite)
    }

    @Test func bsrFirstIsRowMajorNotStorageOrder() throws {
        // 2 x 4 in two 2x2 blocks: NaN at (1, 0) comes first in storage, +Inf at (0, 3) in row-major order.
        let bsr = try BSRMatrix<Float>(rows: 2, columns: 4, blockRows: 2, blockColumns: 2, rowOffsets: [0, 2],
                                       columnIndices: [0, 1], values: [0, 0, .nan, 0,  0, .infinity, 0, 0])
        let report = bsr.nonFiniteReport
        #expect(report.first == .init(row: 0, column: 3))
        #expect(report.nanCount == 1 && report.positiveInfinityCount == 1)
        let dense = bsr.dense()
        #expect(dense.nonFiniteReport == report)
        #expect(try dense.csr().nonFiniteReport == report)
    }

    @Test func narrowTypes() throws {
        let csr = try CSRMatrix<Float>(rows: 1, columns: 3, rowOffsets: [0, 3], columnIndices: [0, 1, 2], values: [70000, -70000, .nan])
        let half = csr.converted(to: Float16.self).nonFiniteReport
        #expect(half.positiveInfinityCount == 1 && half.negativeInfinityCount == 1 && half.nanCount == 1)
        #expect(half.first == .init(row: 0, column: 0))
        let bf = csr.converted(to: BFloat16.self).nonFiniteReport
        #expect(bf.nanCount == 1 && bf.infinityCount == 0 && bf.first == .init(row: 0, column: 2))
    }
}
