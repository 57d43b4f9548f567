import Testing
@testable import SparseFormats

@Suite struct FragmentCOOMatrixTests {
    @Test(arguments: [(0, 0, 0.5), (0, 9, 0.5), (5, 0, 0.5), (1, 1, 1.0), (7, 13, 0.3), (16, 16, 1.0), (17, 65, 0.9), (33, 31, 0.5), (3, 200, 0.02)])
    func roundTripsThroughCSR(rows: Int, columns: Int, density: Double) throws {
        var rng = RandomMatrices(seed: UInt64(31 * rows + columns))
        let w = try CSRMatrix(rng.dense(rows: rows, columns: columns, density: density))
        let f = try FragmentCOOMatrix(csr: w)
        #expect(f.csr() == w)
        #expect(f.nnz == w.nnz && f.blockOffsets.count == FragmentCOOMatrix<Float>.blockCount(rows: rows, columns: columns) + 1)
    }

    /// Positions follow the mma.sync m16n8k16 A fragment: lane l = 4 (row mod 8) + (column mod 8) / 2,
    /// register r = row / 8 + 2 (column / 8), half = column mod 2, position 8 l + 2 r + half.
    @Test func positionsAreTheAFragmentsLaneRegisterAndHalf() {
        typealias F = FragmentCOOMatrix<Float>
        #expect(F.position(row: 0, column: 0) == 0 && F.position(row: 0, column: 1) == 1)
        #expect(F.position(row: 8, column: 0) == 2 && F.position(row: 0, column: 8) == 4 && F.position(row: 15, column: 15) == 255)
        #expect(F.position(row: 1, column: 2) == 8 * 5)
        var seen = Set<Int>()
        for row in 0..<16 {
            for column in 0..<16 {
                let p = F.position(row: row, column: column)
                #expect(F.place(ofPosition: p) == (row, column))
                seen.insert(p)
            }
        }
        #expect(seen.count == 256)
    }

    @Test func blocksRunStripByStripWithEntriesInPositionOrder() throws {
        // 17 x 33: two strips of three blocks; entries at (0, 9), (0, 1), (16, 32), (8, 0).
        let w = try CSRMatrix<Float>(
            rows: 17, columns: 33, rowOffsets: [0, 2] + [Int32](repeating: 2, count: 7) + [3] + [Int32](repeating: 3, count: 7) + [4],
            columnIndices: [1, 9, 0, 32], values: [1, 2, 3, 4])
        let f = try FragmentCOOMatrix(csr: w)
        #expect(f.blockOffsets == [0, 3, 3, 3, 3, 3, 4])
        // Block 0: (0, 1) -> 1, (0, 9) -> 8 * 0 + 2 * 2 + 1 = 5, (8, 0) -> 2: sorted 1, 2, 5.
        #expect(f.positions == [1, 2, 5, 0] && f.values == [1, 3, 2, 4])
    }

    @Test func bytesPerWeightMatchTheArithmetic() throws {
        var rng = RandomMatrices(seed: 5)
        let w = try CSRMatrix(rng.dense(rows: 256, columns: 512, density: 0.1)).converted(to: Float16.self)
        let f = try FragmentCOOMatrix(csr: w)
        let density = Double(w.nnz) / (256 * 512)
        // 3 B per nonzero at fp16, 4 B per 16 x 16 block plus one.
        #expect(abs(f.bytesPerWeight - (3 * density + 4.0 * (16 * 32 + 1) / (256 * 512))) < 1e-9)
        #expect(f.bytesPerWeight < (try BitmapTiledMatrix(csr: w)).bytesPerWeight)
    }

    /// Malformed arrays and the defect each must name.
    @Test func malformedArraysNameTheirDefect() {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "accepted"
        }
        typealias F = FragmentCOOMatrix<Float>
        #expect(message { _ = try F(rows: 20, columns: 4, blockOffsets: [0, 0], positions: [], values: []) }
            .contains("2 block offsets starting at 0, expected 3 starting at 0"))
        #expect(message { _ = try F(rows: 2, columns: 2, blockOffsets: [0, 1], positions: [], values: [1]) }
            .contains("0 positions for 1 values"))
        #expect(message { _ = try F(rows: 2, columns: 2, blockOffsets: [0, 2], positions: [0], values: [1]) }
            .contains("the block offsets end at 2, there are 1 values"))
        #expect(message { _ = try F(rows: 2, columns: 2, blockOffsets: [0, 2], positions: [1, 0], values: [1, 1]) }
            .contains("position 0 of entry 1 does not follow 1"))
        // Position 4 is row 0, column 8: outside a 2 x 2 matrix.
        #expect(message { _ = try F(rows: 2, columns: 2, blockOffsets: [0, 1], positions: [4], values: [1]) }
            .contains("entry 0 at row 0, column 8 lies outside the 2 x 2 matrix"))
        #expect(message { _ = try F(rows: 40, columns: 2, blockOffsets: [0, 2, 1, 1], positions: [0], values: [1]) }
            .contains("block 0 has offsets 0 ..< 2"))
        #expect(message { _ = try F(rows: 2, columns: 2, blockOffsets: [0, 1], positions: [0, 1], values: [1, 1]) }
            .contains("the block offsets end at 1, there are 2 values"))
    }
}
