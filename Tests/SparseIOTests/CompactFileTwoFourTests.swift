import Foundation
import SparseFormats
import Testing

@testable import SparseIO

/// `.spc` files in 2:4 (format code 4): no offsets, the metadata words as B, the values (256 a
/// 16 x 32 tile, padding included) as C; the counts checked against the shape before anything is
/// allocated, and the arrays by ``SparseFormats/TwoFourMatrix``'s validating initialiser.
@Suite struct CompactFileTwoFourTests {
    typealias Support = CompactFileTests

    @Test func theFileHoldsTheFormatsArraysInOrder() throws {
        // 19 x 45: 2 strips x 2 tiles of 16 x 32.
        let w = try Support.matrix(.twoFour).converted(to: Float16.self)
        let encoded = try TwoFourMatrix(csr: w)
        let path = Support.path("two-four")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let written = try CompactFile.write(AnyCSRMatrix(w), as: .twoFour, to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(data.littleEndianInteger(at: 8, width: 4) == 4)
        #expect((0..<3).map { data.littleEndianInteger(at: 32 + 8 * $0, width: 8) } == [0, 64, 1024])
        #expect(data.count == 56 + 64 * 4 + 1024 * 2)
        #expect((0..<64).map { UInt32(data.littleEndianInteger(at: 56 + 4 * $0, width: 4)) } == encoded.metadata)
        #expect((0..<1024).map { UInt16(data.littleEndianInteger(at: 56 + 256 + 2 * $0, width: 2)) } == encoded.values.map(\.bitPattern))
        let read = try CompactFile.read(path)
        #expect(read == written)
        #expect(read.format.description == "2:4" && read.elementType == .f16)
        #expect(read.csr == .csr(AnyCSRMatrix(w)))
        #expect(read.nonzeros == w.nnz && read.storedEntries == 1024)
        #expect(read.storageBytes == 1024 * 2 + 64 * 4)
        #expect(try SparseFile.read(path) == .sparse(.csr(AnyCSRMatrix(w))))
    }

    @Test func bytesPerWeightIsOneAndAnEighthAtSixteenBitsOnTheTileGrid() throws {
        var generator = SeededGenerator(seed: 3)
        let dense = try DenseMatrix(rows: 32, columns: 64, storage: generator.signedUnitValues(32 * 64, as: Float.self))
        let w = try dense.prunedCSR(.nOfM(n: 2, m: 4)).matrix
        let path = Support.path("two-four-bytes")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for any in [AnyCSRMatrix(w.converted(to: Float16.self)), AnyCSRMatrix(w.converted(to: BFloat16.self))] {
            #expect(try CompactFile.write(any, as: .twoFour, to: path).bytesPerWeight == 1.125)
            #expect(try CompactFile.read(path).bytesPerWeight == 1.125)
        }
    }

    @Test func writingAMatrixThatIsNotTwoFourNamesTheRow() throws {
        // Row 1 holds columns 4, 5 and 6 of the run 4-7.
        let w = try CSRMatrix<Float>(rows: 3, columns: 8, rowOffsets: [0, 2, 5, 5], columnIndices: [0, 3, 4, 5, 6], values: [1, 2, 3, 4, 5])
        let path = Support.path("not-two-four")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try CompactFile.write(AnyCSRMatrix(w), as: .twoFour, to: path)
            Issue.record("a matrix with 3 entries in a run of 4 must be refused")
        } catch {
            guard case .invalidMatrix(.invalidCompactLayout("2:4", let detail)) = error.defect else {
                Issue.record("expected an invalid 2:4 layout, got \(error)")
                return
            }
            #expect(detail.hasPrefix("row 1 holds 3 entries in columns 4-7 (4, 5, 6)"))
        }
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is written")
    }

    /// Malformed 2:4 files and the defect each must give. The valid one is 19 x 45 in f32:
    /// A = 0, B = 64 metadata words, C = 1024 values.
    @Test func malformedFilesNameTheirDefect() throws {
        let good = try Support.validFile(.twoFour)
        func defect(_ data: Data) throws -> SparseIOError.Defect? { try Support.defect(of: data) }
        func setting(_ value: UInt64, at offset: Int, width: Int = 8) -> Data { Support.setting(good, value, at: offset, width: width) }
        #expect(good.count == 56 + 64 * 4 + 1024 * 4)
        #expect(try defect(good) == nil)
        #expect(try defect(setting(1, at: 32)) == .countMismatch(what: "2:4 offsets (none)", expected: 0, actual: 1))
        #expect(try defect(setting(63, at: 40))
            == .countMismatch(what: "2:4 metadata words (16 x ceil(rows / 16) x ceil(columns / 32))", expected: 64, actual: 63))
        #expect(try defect(setting(1023, at: 48))
            == .countMismatch(what: "2:4 values (256 x ceil(rows / 16) x ceil(columns / 32))", expected: 1024, actual: 1023))
        // A shape of 2^31 - 1 rows needs 2^32 metadata words: refused on the counts, nothing allocated.
        #expect(try defect(setting(UInt64(Int32.max), at: 16))
            == .countMismatch(what: "2:4 metadata words (16 x ceil(rows / 16) x ceil(columns / 32))", expected: 1 << 32, actual: 64))
        // Counts that agree with a 33-row shape (3 strips x 2 tiles) but not with the file's size.
        let taller = Support.setting(Support.setting(setting(33, at: 16), 96, at: 40, width: 8), 1536, at: 48, width: 8)
        #expect(try defect(taller) == .truncated(needed: 56 + 96 * 4 + 1536 * 4, available: good.count))
        #expect(try defect(good.dropLast(3)) == .truncated(needed: good.count, available: good.count - 3))
        #expect(try defect(good + Data(count: 8)) == .trailingBytes(expected: good.count, actual: good.count + 8))
        // Metadata word 0 with nibble 0 = 0b0101 (offsets 1, 1): the format's own validation, wrapped.
        #expect(try defect(setting(0x4444_4445, at: 56, width: 4)) == .invalidMatrix(.invalidCompactLayout(
            format: "2:4", detail: "tile 0, metadata word 0, nibble 0: offsets 1, 1 are not increasing")))
        // A nonzero in tile 1's row 0, chunk 7 (columns 60-63 of a 45-column matrix): slot
        // 8 x lane 3 + 2 x register 2 = 28 of the tile, value 256 + 28.
        let outside = setting(UInt64(Float(1).bitPattern), at: 56 + 64 * 4 + 4 * (256 + 28), width: 4)
        #expect(try defect(outside) == .invalidMatrix(.invalidCompactLayout(
            format: "2:4", detail: "tile 1, slot 28 holds a nonzero at row 0, column 60, outside the 19 x 45 matrix")))
    }
}
