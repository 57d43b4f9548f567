import Testing
@testable import SparseFormats

@Suite struct NOfMCheckTests {
    @Test func twoOfFourPruningPassesAndUnstructuredFails() throws {
        var generator = SeededGenerator(label: "n-of-m check")
        // 7 x 12 (N:M pruning needs K divisible by M).
        let dense = try DenseMatrix(rows: 7, columns: 12, storage: generator.signedUnitValues(7 * 12, as: Float.self))
        let twoOfFour = try dense.prunedCSR(.nOfM(n: 2, m: 4)).matrix
        #expect(twoOfFour.keepsAtMost(2, of: 4))
        #expect(!twoOfFour.keepsAtMost(1, of: 4))
        // Dense rows keep 4 of every 4.
        #expect(try dense.prunedCSR(.unstructured, sparsity: 0).matrix.keepsAtMost(4, of: 4))
        #expect(try !dense.prunedCSR(.unstructured, sparsity: 0.5).matrix.keepsAtMost(2, of: 4))
    }

    @Test func groupsStartAtColumnZeroAndStoredZerosCount() throws {
        // Columns 2 and 3 fall in group 0, 4 and 5 in group 1: 2:4 holds.
        let split = try CSRMatrix<Float>(rows: 1, columns: 8, rowOffsets: [0, 4], columnIndices: [2, 3, 4, 5], values: [1, 2, 3, 4])
        #expect(split.keepsAtMost(2, of: 4))
        // Columns 1, 2, 3 share group 0, one of them a stored zero: not 2:4.
        let three = try CSRMatrix<Float>(rows: 2, columns: 8, rowOffsets: [0, 1, 4], columnIndices: [0, 1, 2, 3], values: [1, 0, 2, 3])
        #expect(!three.keepsAtMost(2, of: 4))
        // A short last group (columns 4 and 5 of 6) counts like the others.
        let short = try CSRMatrix<Float>(rows: 1, columns: 6, rowOffsets: [0, 2], columnIndices: [4, 5], values: [1, 2])
        #expect(short.keepsAtMost(2, of: 4) && !short.keepsAtMost(1, of: 4))
        #expect(try CSRMatrix<Float>(rows: 0, columns: 4, rowOffsets: [0], columnIndices: [], values: []).keepsAtMost(0, of: 4))
    }
}
