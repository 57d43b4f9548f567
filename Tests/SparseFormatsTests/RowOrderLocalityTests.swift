import Testing
@testable import SparseFormats

/// ``RowOrder/locality(_:groupSize:window:)``: a permutation, the same on every call, grouping
/// rows that share columns, and a product through it equals the product without it.
@Suite struct RowOrderLocalityTests {
    /// 64 x 64: even rows hold columns of the left half, odd rows of the right half, so the
    /// identity order mixes the two sets in every group of consecutive rows.
    func interleavedClusters() throws -> CSRMatrix<Float> {
        var dense = [Float](repeating: 0, count: 64 * 64)
        for row in 0..<64 {
            let base = row % 2 == 0 ? 0 : 32
            for c in stride(from: base + (row / 2) % 2, to: base + 32, by: 2) { dense[row * 64 + c] = Float(row + 1) }
        }
        return try CSRMatrix(DenseMatrix(rows: 64, columns: 64, storage: dense))
    }

    /// Distinct columns summed over groups of `size` consecutive slots of `order`.
    func distinctColumns(_ matrix: CSRMatrix<Float>, _ order: RowOrder, groupSize size: Int) -> Int {
        stride(from: 0, to: order.count, by: size).reduce(0) { total, start in
            let slots = start..<min(order.count, start + size)
            return total + Set(slots.flatMap { matrix.columnIndices[matrix.range(ofRow: order[$0])] }).count
        }
    }

    @Test func isAPermutationOnAwkwardMatrices() throws {
        var random = RandomMatrices(seed: 13)
        for _ in 0..<40 {
            let matrix = try CSRMatrix(random.anyDense(maxSide: 23))
            for group in [1, 2, 4, 7] {
                let order = RowOrder.locality(matrix, groupSize: group, window: 5)
                #expect(try RowOrder(order.rows) == order)
                #expect(order.count == matrix.rows)
            }
        }
        #expect(RowOrder.locality(try CSRMatrix<Float>(zeros: 0, 5)).count == 0)
        #expect(RowOrder.locality(try CSRMatrix<Float>(zeros: 6, 5)) == RowOrder.identity(6))
    }

    @Test func isDeterministic() throws {
        let matrix = try interleavedClusters()
        let first = RowOrder.locality(matrix)
        for _ in 0..<3 { #expect(RowOrder.locality(matrix) == first) }
    }

    @Test func groupsRowsThatShareColumns() throws {
        let matrix = try interleavedClusters()
        let order = RowOrder.locality(matrix, groupSize: 4)
        // Every group of 4 slots comes from one half, so it touches at most 32 columns.
        for start in stride(from: 0, to: 64, by: 4) {
            #expect(Set((start..<start + 4).map { order[$0] % 2 }).count == 1, "group at \(start) mixes the halves")
        }
        #expect(distinctColumns(matrix, order, groupSize: 4) < distinctColumns(matrix, .identity(64), groupSize: 4))
    }

    @Test func emptyRowsGoLast() throws {
        let matrix = try CSRMatrix(
            rows: 5, columns: 3, rowOffsets: [0, 0, 2, 2, 3, 3], columnIndices: [0, 2, 1], values: [1, 2, 3] as [Float])
        let order = RowOrder.locality(matrix, groupSize: 2)
        #expect(Set(order.rows.prefix(2)) == [1, 3])
        #expect(Array(order.rows.suffix(3)) == [0, 2, 4])
    }

    /// Reordering W's rows, multiplying, and undoing the order on Y gives the reference product.
    @Test func productThroughTheOrderEqualsTheReference() throws {
        var random = RandomMatrices(seed: 29)
        for _ in 0..<20 {
            let matrix = try CSRMatrix(random.anyDense(maxSide: 17))
            let x = random.dense(rows: matrix.columns, columns: 3, density: 1)
            let reference = try ReferenceSpMM.multiply(matrix, x)
            for order in [RowOrder.locality(matrix), .byLengthDescending(matrix), .identity(matrix.rows)] {
                let reordered = try ReferenceSpMM.multiply(try order.applied(to: matrix), x)
                #expect(try order.inverse.applied(to: reordered) == reference)
            }
        }
    }
}
