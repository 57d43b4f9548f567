import Foundation
import SparseFormats
import Testing

@testable import KernelGen

@Suite struct ProblemTests {
    func problemError(_ body: () throws -> Void) -> ProblemError? {
        do {
            try body()
            return nil
        } catch let error as ProblemError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func rejectsImpossibleShapes() {
        #expect(problemError { _ = try makeProblem(n: 0, nnz: 0, maxRowLength: 0) } == .nonPositive(name: "n", value: 0))
        #expect(problemError { _ = try makeProblem(m: 0) } == .nonPositive(name: "m", value: 0))
        #expect(problemError { _ = try makeProblem(k: -1) } == .negative(name: "k", value: -1))
        #expect(problemError { _ = try makeProblem(n: 2, k: 3, nnz: 7, maxRowLength: 3) } == .tooManyNonzeros(nnz: 7, n: 2, k: 3))
        #expect(problemError { _ = try makeProblem(m: Int(Int32.max) + 1) } == .exceedsInt32(name: "m", value: Int(Int32.max) + 1))
        #expect(problemError { _ = try makeProblem(type: .f64) } == .unsupportedElementType(.f64))
    }

    @Test func rejectsMaxRowLengthThatNoPatternHas() {
        // 10 entries over 4 rows: some row holds at least 3; no row holds more than k = 5.
        #expect(
            problemError { _ = try makeProblem(n: 4, k: 5, nnz: 10, maxRowLength: 2) }
                == .inconsistentMaxRowLength(maxRowLength: 2, nnz: 10, n: 4, k: 5))
        #expect(
            problemError { _ = try makeProblem(n: 4, k: 5, nnz: 10, maxRowLength: 6) }
                == .inconsistentMaxRowLength(maxRowLength: 6, nnz: 10, n: 4, k: 5))
        #expect(problemError { _ = try makeProblem(n: 4, k: 5, nnz: 10, maxRowLength: 3) } == nil)
        // K = 0 with no entries is a legal (all-zero) product.
        #expect(problemError { _ = try makeProblem(n: 3, k: 0, nnz: 0, maxRowLength: 0) } == nil)
    }

    @Test func buildsFromACSRPattern() throws {
        // Rows of length 2, 0, 3.
        let csr = try CSRMatrix<Float>(
            rows: 3, columns: 4, rowOffsets: [0, 2, 2, 5], columnIndices: [0, 3, 0, 1, 2], values: [1, 2, 3, 4, 5])
        let problem = try SpMMProblem(
            pattern: csr, m: 7, patternDigest: 42, elementType: .f16, epilogue: .biasReLU, device: .sm80)
        #expect(problem.n == 3 && problem.k == 4 && problem.m == 7 && problem.nnz == 5)
        #expect(problem.maxRowLength == 3)
        #expect(problem.meanRowLength == 5.0 / 3.0)
        #expect(problem.elementType == .f16 && problem.epilogue == .biasReLU && problem.device == .sm80)
        #expect(problem.maxBlockEntries == 5, "all five entries lie in block (0, 0)")
    }

    /// The fullest 16 x 16 block, counted on the grid from (0, 0) across strips and row ends; the
    /// bound it must keep when given (at least nnz over the blocks, at most min(256, nnz)).
    @Test func countsTheFullestSixteenBySixteenBlock() throws {
        // 40 x 40: block (0, 0) holds 3 entries, block (1, 2) (rows 16-31, columns 32-39) 4, block (2, 0) 1.
        let entries: [(Int, Int)] = [(0, 0), (15, 15), (3, 9), (16, 32), (20, 39), (31, 35), (31, 32), (39, 0)]
        var rows = [[Int32]](repeating: [], count: 40)
        for (r, c) in entries { rows[r].append(Int32(c)) }
        var offsets: [Int32] = [0], columns: [Int32] = []
        for r in 0..<40 {
            columns += rows[r].sorted()
            offsets.append(Int32(columns.count))
        }
        let csr = try CSRMatrix<Float>(rows: 40, columns: 40, rowOffsets: offsets, columnIndices: columns, values: columns.map { _ in 1 })
        let problem = try SpMMProblem(pattern: csr, m: 8, patternDigest: 7, elementType: .f16, device: .sm90)
        #expect(problem.maxBlockEntries == 4)
        // Given by hand: 10 entries over 4 blocks put at least 3 in one; none holds more than 10.
        #expect(problemError { _ = try makeProblem(n: 32, k: 32, nnz: 10, maxRowLength: 10, maxBlockEntries: 2) }
            == .inconsistentMaxBlockEntries(maxBlockEntries: 2, nnz: 10, blocks: 4))
        #expect(problemError { _ = try makeProblem(n: 32, k: 32, nnz: 10, maxRowLength: 10, maxBlockEntries: 11) }
            == .inconsistentMaxBlockEntries(maxBlockEntries: 11, nnz: 10, blocks: 4))
        // Not counted: every block possibly full (stored problems without the field decode the same way).
        #expect(try makeProblem(n: 32, k: 32, nnz: 10, maxRowLength: 10).maxBlockEntries == 10)
        #expect(try makeProblem().maxBlockEntries == 256)
    }

    @Test func problemsAreCodableKeys() throws {
        let problem = try makeProblem(type: .bf16, epilogue: .bias, ordering: .byLengthDescending)
        let copy = try JSONDecoder().decode(SpMMProblem.self, from: JSONEncoder().encode(problem))
        #expect(copy == problem)
        #expect(problem.on(.sm80) != problem)
        #expect(problem.on(.sm80).on(.sm90) == problem)
    }
}
