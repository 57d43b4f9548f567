import Foundation
import Testing
@testable import SparseFormats

@Suite struct RowOrderTests {
    /// 4 x 5 with entries per row [2, 0, 5, 1].
    func sample() throws -> CSRMatrix<Float> {
        try CSRMatrix(rows: 4, columns: 5, rowOffsets: [0, 2, 2, 7, 8],
                      columnIndices: [0, 3, 0, 1, 2, 3, 4, 3], values: [1, 2, 3, 4, 5, 6, 7, 0])
    }

    /// Rows of the given lengths (columns 0..<length, values = row index + 1).
    func matrix(rowLengths: [Int], columns: Int) throws -> CSRMatrix<Double> {
        var offsets: [Int32] = [0], indices: [Int32] = [], values: [Double] = []
        for (row, length) in rowLengths.enumerated() {
            indices += (0..<length).map { Int32($0) }
            values += Array(repeating: Double(row + 1), count: length)
            offsets.append(Int32(indices.count))
        }
        return try CSRMatrix(rows: rowLengths.count, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
    }

    @Test func identityOfAwkwardSizes() throws {
        for count in [0, 1, 5, 33] {
            let order = RowOrder.identity(count)
            #expect(order.count == count && order.isIdentity)
            #expect(order.rows == (0..<count).map { Int32($0) })
            #expect(order.inverse == order)
            #expect(try RowOrder(order.rows) == order)
        }
    }

    @Test func rejectsWhatIsNotAPermutation() {
        #expect(throws: RowOrderError.duplicateRow(slot: 2, row: 2, firstSlot: 1)) { try RowOrder([0, 2, 2] as [Int32]) }
        #expect(throws: RowOrderError.rowOutOfRange(slot: 1, row: 3, count: 3)) { try RowOrder([0, 3, 1] as [Int32]) }
        #expect(throws: RowOrderError.rowOutOfRange(slot: 0, row: -1, count: 2)) { try RowOrder([-1, 0] as [Int32]) }
        #expect(throws: RowOrderError.rowOutOfRange(slot: 0, row: 1, count: 1)) { try RowOrder([1] as [Int]) }
        // An Int beyond Int32 is reported as itself, not truncated into range (1 << 32 truncates to 0).
        #expect(throws: RowOrderError.rowOutOfRange(slot: 1, row: 1 << 32, count: 2)) { try RowOrder([1, 1 << 32] as [Int]) }
        #expect((try? RowOrder([] as [Int32])) == RowOrder.identity(0))
        #expect((try? RowOrder([2, 0, 1] as [Int]))?.rows == [2, 0, 1])
        let message = RowOrderError.duplicateRow(slot: 2, row: 2, firstSlot: 1).description
        #expect(message.contains("row 2 twice") && message.contains("slots 1 and 2"))
    }

    @Test func byLengthDescendingByHand() throws {
        #expect(RowOrder.byLengthDescending(try sample()).rows == [2, 0, 3, 1])
        // Ties keep increasing row index: lengths 1, 3, 1, 0, 3, 1.
        let ties = try matrix(rowLengths: [1, 3, 1, 0, 3, 1], columns: 4)
        #expect(RowOrder.byLengthDescending(ties).rows == [1, 4, 0, 2, 5, 3])
        #expect(RowOrder.byLengthDescending(try CSRMatrix<Float>(zeros: 0, 3)).count == 0)
        #expect(RowOrder.byLengthDescending(try CSRMatrix<Float>(zeros: 4, 0)).isIdentity)  // all empty: ties
        #expect(RowOrder.byLengthDescending(try matrix(rowLengths: [0, 1, 2, 3], columns: 3)).rows == [3, 2, 1, 0])
    }

    /// Over random matrices: a valid permutation, lengths non-increasing, ties in increasing row
    /// order, equal to an independent stable sort.
    @Test func byLengthDescendingIsAStableSortProperty() throws {
        var random = RandomMatrices(seed: 77)
        for _ in 0..<60 {
            let csr = try random.anyDense(maxSide: 17, ties: true).csr()
            let order = RowOrder.byLengthDescending(csr)
            #expect(try RowOrder(order.rows) == order)
            let lengths = (0..<csr.rows).map { csr.range(ofRow: $0).count }
            for slot in 0..<max(0, order.count - 1) {
                let (a, b) = (order[slot], order[slot + 1])
                #expect(lengths[a] > lengths[b] || (lengths[a] == lengths[b] && a < b), "slots \(slot), \(slot + 1)")
            }
            let expected = (0..<csr.rows).sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
            #expect(order.rows.map(Int.init) == expected)
        }
    }

    @Test func inverseUndoesAndComposes() throws {
        var generator = SeededGenerator(seed: 5)
        for count in [0, 1, 2, 7, 64] {
            let order = try RowOrder((0..<count).shuffled(using: &generator))
            let inverse = order.inverse
            for slot in 0..<count { #expect(inverse[order[slot]] == slot) }
            #expect(inverse.inverse == order)
            #expect(try order.followed(by: inverse).isIdentity)
            #expect(try inverse.followed(by: order).isIdentity)
            // Applying a then b equals applying a.followed(by: b).
            let other = try RowOrder((0..<count).shuffled(using: &generator))
            let labels = (0..<count).map { "r\($0)" }
            #expect(try other.applied(to: order.applied(to: labels)) == order.followed(by: other).applied(to: labels))
        }
        #expect(throws: RowOrderError.countMismatch(orderCount: 3, rows: 2)) {
            try RowOrder.identity(2).followed(by: .identity(3))
        }
    }

    @Test func appliedMovesWholeRowsAndStaysCanonical() throws {
        let csr = try sample()
        let order = RowOrder.byLengthDescending(csr)
        let permuted = try order.applied(to: csr)
        #expect(permuted.rows == csr.rows && permuted.columns == csr.columns && permuted.nnz == csr.nnz)
        #expect(permuted.rowOffsets == [0, 5, 7, 8, 8])
        for slot in 0..<csr.rows {
            let original = csr.range(ofRow: order[slot]), moved = permuted.range(ofRow: slot)
            #expect(Array(permuted.columnIndices[moved]) == Array(csr.columnIndices[original]))
            #expect(Array(permuted.values[moved]) == Array(csr.values[original]))
        }
        // The public validating initializer accepts the result: it is canonical CSR.
        let revalidated = try CSRMatrix(rows: permuted.rows, columns: permuted.columns, rowOffsets: permuted.rowOffsets,
                                        columnIndices: permuted.columnIndices, values: permuted.values)
        #expect(revalidated == permuted)
        #expect(try order.inverse.applied(to: permuted) == csr)
        #expect(try RowOrder.identity(4).applied(to: csr) == csr)
        #expect(throws: RowOrderError.countMismatch(orderCount: 3, rows: 4)) { try RowOrder.identity(3).applied(to: csr) }
        #expect(throws: RowOrderError.countMismatch(orderCount: 3, rows: 2)) {
            try RowOrder.identity(3).applied(to: try DenseMatrix<Float>(zeros: 2, 5))
        }
        #expect(throws: RowOrderError.countMismatch(orderCount: 3, rows: 1)) { try RowOrder.identity(3).applied(to: [1.0]) }
        let empty = try CSRMatrix<Float>(zeros: 0, 0)
        #expect(try RowOrder.identity(0).applied(to: empty) == empty)
    }

    /// What a kernel with a row order computes: Y' = (P W) X with the bias permuted alike; the
    /// inverse order restores Y = W X exactly (each row is summed in the same order).
    @Test func reorderedSpMMUnpermutesToTheReferenceProperty() throws {
        var random = RandomMatrices(seed: 2024)
        var generator = SeededGenerator(seed: 9)
        for trial in 0..<40 {
            let w = try random.anyDense(maxSide: 19).csr()
            let m = random.int(1...7)
            let x = try DenseMatrix(rows: w.columns, columns: m, storage: generator.signedUnitValues(w.columns * m, as: Float.self))
            let bias = (0..<w.rows).map { _ in Double(generator.nextSignedUnitFloat()) }
            let relu = trial % 2 == 0
            let expected = try ReferenceSpMM.multiply(w, x, bias: bias, relu: relu)
            let orders = [RowOrder.byLengthDescending(w), try RowOrder((0..<w.rows).shuffled(using: &generator)), .identity(w.rows)]
            for order in orders {
                let reordered = try ReferenceSpMM.multiply(try order.applied(to: w), x, bias: try order.applied(to: bias), relu: relu)
                // Row i of the reordered product is row order[i] of the original.
                for slot in 0..<w.rows {
                    #expect(reordered.storage[(slot * m)..<(slot * m + m)] == expected.storage[(order[slot] * m)..<(order[slot] * m + m)])
                }
                #expect(try order.inverse.applied(to: reordered) == expected, "trial \(trial), \(order)")
            }
        }
    }

    @Test func codableRoundTripsAndValidates() throws {
        let order = try RowOrder([3, 0, 2, 1] as [Int32])
        let data = try JSONEncoder().encode(order)
        #expect(String(decoding: data, as: UTF8.self) == "[3,0,2,1]")
        #expect(try JSONDecoder().decode(RowOrder.self, from: data) == order)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RowOrder.self, from: Data("[0,0]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RowOrder.self, from: Data("[1,5]".utf8)) }
        #expect(order.description == "RowOrder(4: [3, 0, 2, 1])")
        #expect(RowOrder.identity(20).description.hasSuffix("15, ...])"))
        #expect(Set([order, order.inverse, .identity(4)]).count == 3)
    }
}
