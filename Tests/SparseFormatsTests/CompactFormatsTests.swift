import Testing
@testable import SparseFormats

/// A CSR matrix with awkward features for the compact formats: random shape, empty rows, a dense
/// row, no stored zeros (the delta format drops zeros by design).
private func sample(_ rng: inout RandomMatrices, rows: Int, columns: Int, density: Double) -> CSRMatrix<Float> {
    try! CSRMatrix(rng.dense(rows: rows, columns: columns, density: density))
}

@Suite struct CompactFormatsTests {
    static let shapes: [(rows: Int, columns: Int, density: Double)] = [
        (0, 0, 0.5), (0, 9, 0.5), (5, 0, 0.5), (1, 1, 1.0), (7, 13, 0.3), (9, 17, 0.05), (16, 64, 0.1), (17, 65, 0.9),
        (3, 200, 0.02), (33, 31, 0.5),
    ]

    @Test(arguments: 0..<shapes.count)
    func everyFormatRoundTripsThroughCSR(index: Int) throws {
        var rng = RandomMatrices(seed: UInt64(100 + index))
        let s = Self.shapes[index]
        let w = sample(&rng, rows: s.rows, columns: s.columns, density: s.density)
        #expect(try CSR16Matrix(csr: w).csr() == w)
        #expect(try DeltaCSRMatrix(csr: w).csr() == w)
        #expect(try BitmapTiledMatrix(csr: w).csr() == w)
        #expect(try DeltaCSRMatrix(csr: w).nnz == w.nnz)
    }

    @Test func csr16SplitsColumnsIntoPanels() throws {
        // K = 70,000: two panels; entries on both sides of 65,536 in one row.
        let w = try CSRMatrix<Float>(
            rows: 3, columns: 70_000, rowOffsets: [0, 3, 3, 5], columnIndices: [0, 65_535, 65_536, 12, 69_999],
            values: [1, 2, 3, 4, 5])
        let c = try CSR16Matrix(csr: w)
        #expect(c.panels == 2)
        #expect(c.offsets == [0, 2, 2, 3, 4, 4, 5])
        #expect(c.columnIndices == [0, 65_535, 12, 0, 4463])
        #expect(c.csr() == w)
        #expect(c.storageBytes == 7 * 4 + 5 * 6)
    }

    @Test func deltaPadsGapsItsNibbleCannotSpan() throws {
        // Columns 0, 15 (gap 14: one nibble), 40 (gap 24: one padding entry, then 8).
        let w = try CSRMatrix<Float>(rows: 1, columns: 41, rowOffsets: [0, 3], columnIndices: [0, 15, 40], values: [1, 2, 3])
        let d = try DeltaCSRMatrix(csr: w)
        #expect(d.entries == 4 && d.paddingEntries == 1 && d.nnz == 3)
        #expect((0..<4).map(d.delta) == [0, 14, 15, 8])
        #expect(d.values == [1, 2, 0, 3])
        #expect(d.deltas == [0xE0, 0x8F])
        #expect(d.csr() == w)
    }

    @Test func bitmapTilesMarkBitsInStripBlockOrder() throws {
        // 9 x 10: one 16 x 16 block (a strip of one block), four tiles, all but the first partly
        // outside. Storage order: (rows 0-7, cols 0-7), (rows 8-15, cols 0-7), (rows 0-7,
        // cols 8-15), (rows 8-15, cols 8-15); entries (0, 1), (0, 9), (7, 7), (8, 8).
        let w = try CSRMatrix<Float>(
            rows: 9, columns: 10, rowOffsets: [0, 2, 2, 2, 2, 2, 2, 2, 3, 4], columnIndices: [1, 9, 7, 8], values: [1, 2, 3, 4])
        let b = try BitmapTiledMatrix(csr: w)
        let expectedMasks: [UInt64] = [(1 << 1) | (1 << 63), 0, 1 << 1, 1]
        #expect(b.masks == expectedMasks)
        #expect(b.tileOffsets == [0, 2, 2, 3, 4])
        #expect(b.values == [1, 3, 2, 4])
        #expect(b.csr() == w)
    }

    @Test func bitmapBlocksRunStripByStripAndPadTheGrid() throws {
        // 17 x 33: 2 strips x 3 blocks of 16 x 16, 24 tiles; one entry per block's first tile.
        var offsets = [Int32](repeating: 0, count: 18), columns: [Int32] = [], values: [Float] = []
        for (row, column) in [(0, 0), (0, 16), (0, 32), (16, 0), (16, 16), (16, 32)] {
            for later in (row + 1)..<offsets.count { offsets[later] += 1 }
            columns.append(Int32(column))
            values.append(Float(columns.count))
        }
        let w = try CSRMatrix<Float>(rows: 17, columns: 33, rowOffsets: offsets, columnIndices: columns, values: values)
        let b = try BitmapTiledMatrix(csr: w)
        #expect(b.masks.count == BitmapTiledMatrix<Float>.tileCount(rows: 17, columns: 33) && b.masks.count == 24)
        #expect((0..<24).filter { b.masks[$0] != 0 } == [0, 4, 8, 12, 16, 20])
        #expect(b.values == [1, 2, 3, 4, 5, 6])
        for tile in 0..<24 {
            let (r, c) = BitmapTiledMatrix<Float>.tilePosition(tile, columns: 33)
            #expect(BitmapTiledMatrix<Float>.tileIndex(tileRow: r, tileColumn: c, columns: 33) == tile)
        }
        #expect(b.csr() == w)
    }

    @Test func bytesPerWeightMatchTheArithmetic() throws {
        var rng = RandomMatrices(seed: 7)
        let w16 = sample(&rng, rows: 256, columns: 512, density: 0.1).converted(to: Float16.self)
        let csr16 = try CSR16Matrix(csr: w16), delta = try DeltaCSRMatrix(csr: w16), bitmap = try BitmapTiledMatrix(csr: w16)
        let density = Double(w16.nnz) / (256 * 512)
        // CSR16 at fp16: 4 B per nonzero + offsets; bitmap: 1/8 B + 4/64 B per weight + 2 B per nonzero
        // (256 x 512 is whole 16 x 16 blocks: no padding tiles).
        #expect(abs(csr16.bytesPerWeight - (4 * density + 257.0 * 4 / (256 * 512))) < 1e-9)
        #expect(abs(bitmap.bytesPerWeight - (2 * density + 8.0 / 64 + 4.0 * (32 * 64 + 1) / (256 * 512))) < 1e-9)
        #expect(delta.bytesPerNonzero < 3.5 && csr16.bytesPerNonzero < w16.storageBytes.double / Double(w16.nnz))
        #expect(bitmap.bytesPerWeight < 2 && csr16.bytesPerWeight < Double(w16.storageBytes) / (256 * 512))
    }

    @Test func theReferenceRunsOverTheDecodedFormat() throws {
        var rng = RandomMatrices(seed: 11)
        let w = sample(&rng, rows: 19, columns: 70, density: 0.2)
        let x = try DenseMatrix<Float>(rows: 70, columns: 3, storage: (0..<210).map { Float($0 % 7) - 3 })
        let expected = try ReferenceSpMM.multiply(w, x)
        #expect(try ReferenceSpMM.multiply(BitmapTiledMatrix(csr: w).csr(), x) == expected)
        #expect(try ReferenceSpMM.multiply(DeltaCSRMatrix(csr: w).csr(), x) == expected)
        #expect(try ReferenceSpMM.multiply(CSR16Matrix(csr: w).csr(), x) == expected)
    }

    /// Malformed arrays and the defect each must name.
    @Test func malformedArraysNameTheirDefect() {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return "accepted"
        }
        #expect(message { _ = try CSR16Matrix<Float>(rows: 2, columns: 4, offsets: [0, 1], columnIndices: [0], values: [1]) }
            .contains("2 offsets, expected panels x rows + 1 = 3"))
        #expect(message { _ = try CSR16Matrix<Float>(rows: 1, columns: 4, offsets: [0, 1], columnIndices: [4], values: [1]) }
            .contains("index 4 is outside the panel's 4 columns"))
        #expect(message { _ = try CSR16Matrix<Float>(rows: 1, columns: 4, offsets: [0, 2], columnIndices: [2, 1], values: [1, 1]) }
            .contains("not increasing"))
        #expect(message { _ = try DeltaCSRMatrix<Float>(rows: 1, columns: 4, rowOffsets: [0, 3], deltas: [0], values: [1, 1, 1]) }
            .contains("1 delta bytes for 3 entries, expected 2"))
        #expect(message { _ = try DeltaCSRMatrix<Float>(rows: 1, columns: 4, rowOffsets: [0, 2], deltas: [0x30], values: [1, 1]) }
            .contains("column 4 is outside the 4 columns"))
        #expect(message { _ = try BitmapTiledMatrix<Float>(rows: 2, columns: 2, masks: [1 << 2, 0, 0, 0], tileOffsets: [0, 1, 1, 1, 1], values: [1]) }
            .contains("marks entries outside the 2 x 2 matrix"))
        #expect(message { _ = try BitmapTiledMatrix<Float>(rows: 2, columns: 2, masks: [3, 0, 0, 0], tileOffsets: [0, 1, 1, 1, 1], values: [1]) }
            .contains("the masks' popcounts give 2"))
        #expect(message { _ = try BitmapTiledMatrix<Float>(rows: 9, columns: 2, masks: [0], tileOffsets: [0, 0], values: []) }
            .contains("1 tile masks, expected 4 x 1 strips x 1 blocks = 4"))
    }
}

private extension Int {
    var double: Double { Double(self) }
}
