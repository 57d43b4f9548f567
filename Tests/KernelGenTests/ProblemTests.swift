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
    }

    @Test func problemsAreCodableKeys() throws {
        let problem = try makeProblem(type: .bf16, epilogue: .bias, ordering: .byLengthDescending)
        let copy = try JSONDecoder().decode(SpMMProblem.self, from: JSONEncoder().encode(problem))
        #expect(copy == problem)
        #expect(problem.on(.sm80) != problem)
        #expect(problem.on(.sm80).on(.sm90) == problem)
    }
}
