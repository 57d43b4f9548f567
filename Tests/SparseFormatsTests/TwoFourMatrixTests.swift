import Testing
@testable import SparseFormats

/// A random `rows x columns` matrix that is 2:4 along its rows: every run of 4 columns from
/// column 0 (the last run of a row may be shorter) holds 0, 1 or 2 entries at random offsets, or
/// `perRun` of them when given. Values come from a grid that f16 and bf16 hold exactly and are
/// never zero, so no conversion makes a stored zero (the format drops those).
private func twoFourSample(_ rng: inout RandomMatrices, rows: Int, columns: Int, perRun: Int? = nil) throws -> CSRMatrix<Float> {
    var storage = [Float](repeating: 0, count: rows * columns)
    for row in 0..<rows {
        for start in stride(from: 0, to: columns, by: 4) {
            let width = min(4, columns - start)
            var offsets = Array(0..<width)
            offsets.shuffle(using: &rng.generator)
            for offset in offsets.prefix(min(width, perRun ?? rng.int(0...2))) {
                storage[row * columns + start + offset] = Float(rng.int(1...32)) / 8 * (rng.chance(0.5) ? -1 : 1)
            }
        }
    }
    return try CSRMatrix(DenseMatrix(rows: rows, columns: columns, storage: storage))
}

/// `TwoFourMatrix` (2:4 in mma.sp fragment order): the round trip on awkward shapes, a desk check
/// of the layout against the header comment's formulas, the errors it names, its bytes.
@Suite struct TwoFourMatrixTests {
    static let shapes: [(rows: Int, columns: Int, perRun: Int?)] = [
        (0, 0, nil), (0, 9, nil), (5, 0, nil), (1, 1, nil), (1, 1, 1), (1, 3, 2), (3, 4, nil), (17, 37, nil),
        (33, 65, nil), (16, 32, 2), (15, 31, nil), (40, 7, nil), (2, 129, nil), (17, 37, 0), (33, 65, 2), (9, 38, 1),
    ]

    func roundTrips<E: SparseElement>(_ w: CSRMatrix<E>) throws {
        let m = try TwoFourMatrix(csr: w)
        #expect(m.csr() == w, "\(w.rows) x \(w.columns) \(E.self)")
        #expect(m.nnz == w.nnz)
        let tiles = TwoFourMatrix<E>.tileCount(rows: w.rows, columns: w.columns)
        #expect(m.values.count == 256 * tiles && m.metadata.count == 16 * tiles)
        // What a file reader does: rebuild from the arrays through the validating initialiser.
        #expect(try TwoFourMatrix(rows: m.rows, columns: m.columns, values: m.values, metadata: m.metadata) == m)
    }

    @Test(arguments: 0..<shapes.count)
    func roundTripsThroughCSR(index: Int) throws {
        var rng = RandomMatrices(seed: UInt64(300 + index))
        let s = Self.shapes[index]
        let w = try twoFourSample(&rng, rows: s.rows, columns: s.columns, perRun: s.perRun)
        #expect(w.keepsAtMost(2, of: 4))
        if s.perRun == 0 { #expect(w.nnz == 0) }
        try roundTrips(w)
        try roundTrips(w.converted(to: Float16.self))
        try roundTrips(w.converted(to: BFloat16.self))
        try roundTrips(w.converted(to: Double.self))
    }

    /// The encoder takes exactly the matrices that `keepsAtMost(2, of: 4)` accepts.
    @Test func encodesExactlyTheTwoOfFourMatrices() throws {
        var rng = RandomMatrices(seed: 31)
        var accepted = 0, refused = 0
        for _ in 0..<60 {
            let w = try CSRMatrix(rng.dense(rows: rng.int(0...20), columns: rng.int(0...40), density: Double(rng.int(0...6)) / 10))
            if let m = try? TwoFourMatrix(csr: w) {
                accepted += 1
                #expect(w.keepsAtMost(2, of: 4))
                #expect(m.csr() == w)
            } else {
                refused += 1
                #expect(!w.keepsAtMost(2, of: 4))
            }
        }
        #expect(accepted > 0 && refused > 0, "the sample should hold both kinds")
        // What `sparrow prune --pattern 2:4` leaves.
        var generator = SeededGenerator(seed: 5)
        let dense = try DenseMatrix(rows: 24, columns: 64, storage: generator.signedUnitValues(24 * 64, as: Float.self))
        let pruned = try dense.prunedCSR(.nOfM(n: 2, m: 4)).matrix
        #expect(try TwoFourMatrix(csr: pruned).csr() == pruned)
    }

    /// Every slot of a tile is the first or second value of exactly one (row, chunk).
    @Test func slotsAndChunksCorrespond() {
        typealias M = TwoFourMatrix<Float>
        var seen = Set<Int>()
        for row in 0..<16 {
            for chunk in 0..<8 {
                let first = M.firstSlot(row: row, chunk: chunk)
                #expect(M.slotPosition(first) == (row, chunk, false))
                #expect(M.slotPosition(first + 1) == (row, chunk, true))
                seen.formUnion([first, first + 1])
                let (word, shift) = M.nibblePosition(row: row, chunk: chunk)
                #expect((0..<16).contains(word) && shift % 4 == 0 && (0..<32).contains(shift))
                seen.insert(1000 + word * 32 + shift)
            }
        }
        // 256 slots, and 128 distinct nibbles: 16 words of 8.
        #expect(seen.filter { $0 < 1000 } == Set(0..<256))
        #expect(seen.filter { $0 >= 1000 }.count == 128)
    }

    /// A desk check of the header comment's layout on a 10 x 40 matrix (one strip, two tiles):
    /// slots and nibbles worked out by hand from `value 256 t + 8 l + 2 r + h` and
    /// `word 16 t + 2 g + s, bits 16 (row / 8) + 4 c`.
    @Test func layoutFollowsTheHeaderFormulas() throws {
        // (0, 3); (3, 33); (8, 17), (8, 18); (9, 37), (9, 39).
        let w = try CSRMatrix<Float>(
            rows: 10, columns: 40, rowOffsets: [0, 1, 1, 1, 2, 2, 2, 2, 2, 4, 6], columnIndices: [3, 33, 17, 18, 37, 39],
            values: [1, 2, 3, 4, 5, 6])
        let m = try TwoFourMatrix(csr: w)
        #expect(m.values.count == 512 && m.metadata.count == 32)
        // Row 0, column 3: tile 0, chunk 0 (lane 0, register 0): slots 0, 1; alone in its chunk, it
        // pads with a zero at offset 0, so nibble 0 | 3 << 2 = 0xC in word 0, bits 0-3.
        #expect(m.values[0] == 0 && m.values[1] == 1)
        #expect(m.metadata[0] == 0x4444_444C)
        // Row 8, columns 17 and 18: tile 0, chunk 4, offsets 1 and 2. g = 0, q = 0: lane 0,
        // register 3 (row g + 8, chunk q + 4): slots 6, 7. Word 2 g + 1 = 1, bits 16-19: 1 | 2 << 2 = 9.
        #expect(m.values[6] == 3 && m.values[7] == 4)
        #expect(m.metadata[1] == 0x4449_4444)
        // Row 3, column 33: tile 1, chunk 0, offset 1, padded with offset 0. Lane 4 x 3 = 12,
        // register 0: slots 256 + 96, 97. Word 16 + 6, nibble 0 | 1 << 2 = 4, as every empty chunk's.
        #expect(m.values[352] == 0 && m.values[353] == 2)
        #expect(m.metadata[22] == 0x4444_4444)
        // Row 9, columns 37 and 39: tile 1, chunk 1, offsets 1 and 3. g = 1, q = 1: lane 5,
        // register 1 (row g + 8, chunk q): slots 256 + 42, 43. Word 16 + 2 g = 18, bits 16 + 4 = 20-23:
        // 1 | 3 << 2 = 0xD.
        #expect(TwoFourMatrix<Float>.firstSlot(row: 9, chunk: 1) == 42)
        #expect(TwoFourMatrix<Float>.nibblePosition(row: 9, chunk: 1) == (2, 20))
        #expect(TwoFourMatrix<Float>.slotPosition(42) == (9, 1, false))
        #expect(m.values[298] == 5 && m.values[299] == 6)
        #expect(m.metadata[18] == 0x44D4_4444)
        #expect((m.metadata[18] >> 20) & 0xF == 1 | 3 << 2)
        // Nothing else: every other value zero, every other nibble the empty chunk's.
        #expect(m.values.indices.filter { m.values[$0] != 0 } == [1, 6, 7, 298, 299, 353])
        #expect(m.metadata.indices.filter { m.metadata[$0] != 0x4444_4444 } == [0, 1, 18])
        #expect(m.nnz == 6 && m.csr() == w)
    }

    @Test func aRunOfFourWithMoreThanTwoEntriesNamesTheRowAndColumns() throws {
        // Row 5 holds columns 4, 5 and 7.
        let three = try CSRMatrix<Float>(
            rows: 6, columns: 9, rowOffsets: [0, 0, 0, 2, 2, 2, 5], columnIndices: [0, 1, 4, 5, 7], values: [1, 2, 3, 4, 5])
        #expect(throws: SparseFormatError.invalidCompactLayout(
            format: "2:4",
            detail: "row 5 holds 3 entries in columns 4-7 (4, 5, 7): 2:4 keeps at most 2 of every 4 consecutive columns (prune with --pattern 2:4)")
        ) { try TwoFourMatrix(csr: three) }
        // The last run of a 7-column row is columns 4-6; a full run of 4 in row 0.
        let short = try CSRMatrix<Float>(rows: 2, columns: 7, rowOffsets: [0, 0, 3], columnIndices: [4, 5, 6], values: [1, 2, 3])
        let four = try CSRMatrix<Float>(rows: 1, columns: 7, rowOffsets: [0, 4], columnIndices: [0, 1, 2, 3], values: [1, 2, 3, 4])
        #expect(message { _ = try TwoFourMatrix(csr: short) }.contains("invalid 2:4 matrix: row 1 holds 3 entries in columns 4-6 (4, 5, 6)"))
        #expect(message { _ = try TwoFourMatrix(csr: four) }.contains("row 0 holds 4 entries in columns 0-3 (0, 1, 2, 3)"))
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "accepted"
    }

    /// Malformed arrays and the defect each must name.
    @Test func malformedArraysNameTheirDefect() {
        let empty: UInt32 = 0x4444_4444
        let zeros = [Float](repeating: 0, count: 256), words = [UInt32](repeating: empty, count: 16)
        #expect(message { _ = try TwoFourMatrix(rows: 1, columns: 1, values: Array(zeros.dropLast()), metadata: words) }
            .contains("255 values, expected 256 x 1 tiles (16 x 32 each) = 256"))
        // 17 x 33: 2 strips x 2 tiles.
        #expect(message {
            _ = try TwoFourMatrix(rows: 17, columns: 33, values: zeros + zeros + zeros + zeros, metadata: Array((words + words + words + words).dropLast()))
        }.contains("63 metadata words, expected 16 x 4 tiles = 64"))
        var equal = words
        equal[3] = 0x4444_4544
        #expect(message { _ = try TwoFourMatrix(rows: 1, columns: 1, values: zeros, metadata: equal) }
            .contains("tile 0, metadata word 3, nibble 2: offsets 1, 1 are not increasing"))
        var decreasing = words + words
        decreasing[16 + 5] = 0x2444_4444
        #expect(message { _ = try TwoFourMatrix(rows: 1, columns: 33, values: zeros + zeros, metadata: decreasing) }
            .contains("tile 1, metadata word 5, nibble 7: offsets 2, 0 are not increasing"))
        // Slot 1 is row 0's chunk 0 second value (offset 1: column 1); slot 2 is row 8's first.
        var pastColumns = zeros, pastRows = zeros
        pastColumns[1] = 1
        pastRows[2] = -1
        #expect(message { _ = try TwoFourMatrix(rows: 1, columns: 1, values: pastColumns, metadata: words) }
            .contains("invalid 2:4 matrix: tile 0, slot 1 holds a nonzero at row 0, column 1, outside the 1 x 1 matrix"))
        #expect(message { _ = try TwoFourMatrix(rows: 1, columns: 1, values: pastRows, metadata: words) }
            .contains("tile 0, slot 2 holds a nonzero at row 8, column 0, outside the 1 x 1 matrix"))
        #expect(message { _ = try TwoFourMatrix<Float>(rows: -1, columns: 1, values: [], metadata: []) } != "accepted")
        // Zeros outside the matrix are padding, not entries.
        var inside = zeros
        inside[0] = 7
        #expect(message { _ = try TwoFourMatrix(rows: 1, columns: 1, values: inside, metadata: words) } == "accepted")
    }

    @Test func bytesPerWeightIsOneAndAnEighthAtSixteenBits() throws {
        var rng = RandomMatrices(seed: 9)
        for (rows, columns, perRun) in [(32, 64, nil), (16, 32, 0), (48, 96, 2)] as [(Int, Int, Int?)] {
            let w = try twoFourSample(&rng, rows: rows, columns: columns, perRun: perRun)
            // Per 16 x 32 tile: 256 values of 2 B and 16 words of 4 B over 512 weights, whatever the nnz.
            #expect(try TwoFourMatrix(csr: w.converted(to: Float16.self)).bytesPerWeight == 1.125)
            #expect(try TwoFourMatrix(csr: w.converted(to: BFloat16.self)).bytesPerWeight == 1.125)
            #expect(try TwoFourMatrix(csr: w).bytesPerWeight == 2.125)
        }
        // Off the tile grid the padding tiles count: 17 x 33 is 2 x 2 tiles.
        let edge = try TwoFourMatrix(csr: twoFourSample(&rng, rows: 17, columns: 33).converted(to: Float16.self))
        #expect(edge.storageBytes == 4 * (256 * 2 + 16 * 4))
        #expect(edge.bytesPerWeight == Double(4 * 576) / Double(17 * 33))
    }

    @Test func theReferenceRunsOverTheDecodedFormat() throws {
        var rng = RandomMatrices(seed: 13)
        let w = try twoFourSample(&rng, rows: 19, columns: 70)
        let x = try DenseMatrix<Float>(rows: 70, columns: 3, storage: (0..<210).map { Float($0 % 7) - 3 })
        let expected = try ReferenceSpMM.multiply(w, x)
        #expect(try ReferenceSpMM.multiply(TwoFourMatrix(csr: w).csr(), x) == expected)
        let half = w.converted(to: Float16.self)
        #expect(try ReferenceSpMM.multiply(TwoFourMatrix(csr: half).csr(), x) == ReferenceSpMM.multiply(half, x))
    }
}
