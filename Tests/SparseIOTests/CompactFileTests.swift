import Foundation
import SparseFormats
import Testing

@testable import SparseIO

/// `.spc` files: every format and element type round-trips; every malformed file gives the
/// error that names its defect, before anything the header declares is allocated.
@Suite struct CompactFileTests {
    /// A 19 x 45 matrix at 0.85 sparsity; for 2:4, only the first 2 entries of every run of 4
    /// columns kept (45 is no multiple of 4: the last run of a row is column 44 alone).
    static func matrix(_ format: CompactFile.Format = .delta4) throws -> CSRMatrix<Float> {
        var generator = SeededGenerator(seed: 12)
        let dense = try DenseMatrix(rows: 19, columns: 45, storage: generator.signedUnitValues(19 * 45, as: Float.self))
        let w = try dense.prunedCSR(.unstructured, sparsity: 0.85).matrix
        return format == .twoFour ? try keepingTwoOfFour(w) : w
    }

    /// `w` with only the first 2 entries of every run of 4 columns of each row.
    static func keepingTwoOfFour(_ w: CSRMatrix<Float>) throws -> CSRMatrix<Float> {
        var offsets: [Int32] = [0], columns: [Int32] = [], values: [Float] = []
        for row in 0..<w.rows {
            var group = -1, count = 0
            for position in w.range(ofRow: row) {
                let column = w.columnIndices[position]
                (group, count) = Int(column) / 4 == group ? (group, count + 1) : (Int(column) / 4, 1)
                if count <= 2 {
                    columns.append(column)
                    values.append(w.values[position])
                }
            }
            offsets.append(Int32(columns.count))
        }
        return try CSRMatrix(rows: w.rows, columns: w.columns, rowOffsets: offsets, columnIndices: columns, values: values)
    }

    static func path(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-compact-\(UUID().uuidString)-\(name).spc").path
    }

    @Test(arguments: CompactFile.Format.allCases)
    func everyFormatAndTypeRoundTrips(_ format: CompactFile.Format) throws {
        let w = try Self.matrix(format)
        for any in [AnyCSRMatrix(w), AnyCSRMatrix(w.converted(to: Float16.self)), AnyCSRMatrix(w.converted(to: BFloat16.self)),
                    AnyCSRMatrix(w.converted(to: Double.self))] {
            let path = Self.path("\(format)")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let written = try CompactFile.write(any, as: format, to: path)
            let read = try CompactFile.read(path)
            #expect(read == written)
            #expect(read.csr == .csr(any), "\(format) \(any.elementType)")
            #expect(read.nonzeros == w.nnz && read.elementType == any.elementType)
            #expect(try SparseFile.read(path) == .sparse(.csr(any)))
        }
    }

    /// Version 2 changed only bitmap8x8's tile order: a version-1 csr16 or delta4 file reads as
    /// before, a version-1 bitmap8x8 file is refused with the reason and the remedy; 2:4 came
    /// later, and so did fcoo16, so a version-1 file that claims either is refused.
    @Test(arguments: CompactFile.Format.allCases)
    func versionOneFilesReadUnlessTheirTileOrderChanged(_ format: CompactFile.Format) throws {
        let current = try Self.validFile(format)
        #expect(current[current.startIndex + 7] == 2, "this Sparrow writes version 2")
        let old = Self.setting(current, 1, at: 7, width: 1)
        if format == .bitmap8x8 {
            #expect(try Self.defect(of: old) == .unsupportedVersion(
                "bitmap8x8 in a version-1 compact file stores its tiles in the old order (8 x 8 tiles row by row); "
                    + "convert the matrix again with this Sparrow (`sparrow convert --format bitmap`)"))
        } else if format == .twoFour {
            #expect(try Self.defect(of: old) == .unsupportedVersion("1 with compact format code 4 (2:4), which only version 2 has"))
        } else if format == .fcoo16 {
            #expect(try Self.defect(of: old) == .unsupportedVersion("1 with compact format code 5 (fcoo16), which only version 2 has"))
        } else {
            #expect(try Self.defect(of: old) == nil)
        }
    }

    @Test func bytesPerWeightIsTheFormatsStorage() throws {
        let w = try Self.matrix().converted(to: Float16.self)
        let path = Self.path("bytes")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let read = try CompactFile.write(AnyCSRMatrix(w), as: .csr16, to: path)
        #expect(read.storageBytes == 20 * 4 + w.nnz * 4)
        #expect(read.bytesPerWeight == Double(20 * 4 + w.nnz * 4) / Double(19 * 45))
    }

    @Test func delta4CountsItsPaddingAsStoredNotAsNonzeros() throws {
        // Row 0 skips 99 columns, row 1 199: more than a nibble spans, so padding entries bridge them.
        let w = try CSRMatrix<Float>(rows: 2, columns: 200, rowOffsets: [0, 2, 3], columnIndices: [0, 100, 199], values: [1, 2, 3])
        let path = Self.path("padding")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try CompactFile.write(AnyCSRMatrix(w), as: .delta4, to: path)
        let read = try CompactFile.read(path)
        let encoded = try DeltaCSRMatrix(csr: w)
        #expect(read.nonzeros == 3)
        #expect(encoded.paddingEntries >= 99 / 16 + 199 / 16)
        #expect(read.storedEntries == encoded.entries && read.storedEntries == 3 + encoded.paddingEntries)
        let csr16 = try CompactFile.write(AnyCSRMatrix(w), as: .csr16, to: path)
        #expect(csr16.storedEntries == 3)
    }

    /// A valid file's bytes (delta4 unless told), to damage.
    static func validFile(_ format: CompactFile.Format = .delta4) throws -> Data {
        let path = Self.path("valid")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try CompactFile.write(AnyCSRMatrix(try matrix(format)), as: format, to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    static func defect(of data: Data, memoryLimit: MemoryLimit = .default) throws -> SparseIOError.Defect? {
        let path = Self.path("bad")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.write(to: URL(fileURLWithPath: path))
        do {
            _ = try CompactFile.read(path, memoryLimit: memoryLimit)
            return nil
        } catch {
            return error.defect
        }
    }

    static func setting(_ data: Data, _ value: UInt64, at offset: Int, width: Int) -> Data {
        var copy = data
        for i in 0..<width { copy[copy.startIndex + offset + i] = UInt8((value >> (8 * UInt64(i))) & 0xFF) }
        return copy
    }

    @Test func malformedFilesNameTheirDefect() throws {
        let good = try Self.validFile()
        let entries = Int(good.littleEndianInteger(at: 48, width: 8))
        #expect(try Self.defect(of: good.prefix(10)) == .truncated(needed: 56, available: 10))
        #expect(try Self.defect(of: Self.setting(good, 0x58, at: 0, width: 1)) == .badMagic("not a Sparrow compact file (expected the magic SPRWCMP)"))
        #expect(try Self.defect(of: Self.setting(good, 3, at: 7, width: 1)) == .unsupportedVersion("compact file version 3; this Sparrow reads versions 1 to 2"))
        #expect(try Self.defect(of: Self.setting(good, 0, at: 7, width: 1)) == .unsupportedVersion("compact file version 0; this Sparrow reads versions 1 to 2"))
        #expect(try Self.defect(of: Self.setting(good, 9, at: 8, width: 4)) == .unsupportedSparseFormat("compact format code 9 (1 csr16, 2 delta4, 3 bitmap8x8, 4 2:4, 5 fcoo16)"))
        #expect(try Self.defect(of: Self.setting(good, 7, at: 12, width: 4)) == .unsupportedDType("element type code 7 (1 f64, 2 f32, 3 f16, 4 bf16)"))
        #expect(try Self.defect(of: Self.setting(good, 1 << 40, at: 16, width: 8)) == .sizeOverflow("rows 1099511627776 exceeds 2^31 - 1"))
        #expect(try Self.defect(of: Self.setting(good, 5, at: 32, width: 8))
            == .countMismatch(what: "delta4 row offsets (rows + 1)", expected: 20, actual: 5))
        #expect(try Self.defect(of: Self.setting(good, 3, at: 40, width: 8))
            == .countMismatch(what: "delta4 nibble bytes (ceil(values / 2))", expected: (entries + 1) / 2, actual: 3))
        // Counts that agree with each other but not with the file: refused before allocating 2^31 values.
        let huge = Self.setting(Self.setting(good, UInt64(Int32.max), at: 48, width: 8), UInt64(Int32.max / 2 + 1), at: 40, width: 8)
        if case .truncated(let needed, let available)? = try Self.defect(of: huge) {
            #expect(needed > 4_000_000_000 && available == good.count)
        } else {
            Issue.record("a file declaring 2^31 values must be refused as truncated")
        }
        #expect(try Self.defect(of: good.dropLast(3)) == .truncated(needed: good.count, available: good.count - 3))
        #expect(try Self.defect(of: good + Data([0, 0])) == .trailingBytes(expected: good.count, actual: good.count + 2))
        #expect(try Self.defect(of: good, memoryLimit: MemoryLimit(bytes: 100))
            == .memoryLimit(needed: good.count, limit: 100, what: "compact matrix arrays", origin: "set by the caller"))
        // Offsets that decrease: the format's own validation, wrapped.
        let rowOffsets = 56
        let bad = Self.setting(good, 0x7FFF_FFF0, at: rowOffsets + 4, width: 4)
        guard case .invalidMatrix(.invalidCompactLayout(let format, _))? = try Self.defect(of: bad) else {
            Issue.record("decreasing offsets must be an invalid delta4 layout")
            return
        }
        #expect(format == "delta4")
    }

    @Test func countRulesOfTheOtherFormats() throws {
        let csr16 = try Self.validFile(.csr16)
        #expect(try Self.defect(of: Self.setting(csr16, 3, at: 40, width: 8))
            == .countMismatch(what: "csr16 column indices (one per value)", expected: Int(csr16.littleEndianInteger(at: 48, width: 8)), actual: 3))
        let bitmap = try Self.validFile(.bitmap8x8)
        // 19 x 45: 2 strips x 3 blocks of four tiles.
        #expect(try Self.defect(of: Self.setting(bitmap, 23, at: 40, width: 8))
            == .countMismatch(what: "bitmap8x8 tile masks (4 x ceil(rows / 16) x ceil(columns / 16))", expected: 24, actual: 23))
        #expect(try Self.defect(of: Self.setting(bitmap, 24, at: 32, width: 8))
            == .countMismatch(what: "bitmap8x8 tile offsets (tiles + 1)", expected: 25, actual: 24))
        let fcoo = try Self.validFile(.fcoo16)
        // 19 x 45: 2 strips x 3 blocks, so 7 block offsets; one position per value.
        #expect(try Self.defect(of: Self.setting(fcoo, 6, at: 32, width: 8))
            == .countMismatch(what: "fcoo16 block offsets (ceil(rows / 16) x ceil(columns / 16) + 1)", expected: 7, actual: 6))
        #expect(try Self.defect(of: Self.setting(fcoo, 3, at: 40, width: 8))
            == .countMismatch(what: "fcoo16 positions (one per value)", expected: Int(fcoo.littleEndianInteger(at: 48, width: 8)), actual: 3))
        // A position outside the matrix (the last entry's byte set to 255: row 15, column 15 of the
        // last block, beyond 19 x 45): the format's validation, wrapped.
        let positionsStart = 56 + (7 * 4 + 7) / 8 * 8
        let values = Int(fcoo.littleEndianInteger(at: 48, width: 8))
        guard case .invalidMatrix(.invalidCompactLayout(let format, let detail))? = try Self.defect(
            of: Self.setting(fcoo, 255, at: positionsStart + values - 1, width: 1))
        else {
            Issue.record("a position outside the matrix must be an invalid fcoo16 layout")
            return
        }
        #expect(format == "fcoo16" && detail.contains("lies outside the 19 x 45 matrix"))
    }
}
