import Foundation
import Testing
import SparseFormats
@testable import SparseIO

/// Every file in Malformed/ (made by make_malformed.py) and the error it must give:
/// the kind, and a fragment the one-line message must contain.
let malformedCorpus: [(file: String, kind: SparseIOError.Defect.Kind, fragment: String)] = [
    ("npy_truncated.npy", .truncated, "needs 152 bytes, has 147"),
    ("npy_bad_magic.npy", .badMagic, "\\x93NUMPY"),
    ("npy_header_too_large.npy", .headerTooLarge, "limit of 10000"),
    ("npy_fortran_order.npy", .fortranOrder, "fortran_order"),
    ("npy_object_dtype.npy", .objectDType, "|O"),
    ("npy_unsupported_dtype.npy", .unsupportedDType, "<c16"),
    ("npy_shape_data_mismatch.npy", .truncated, "needs 256 bytes, has 200"),
    ("npy_trailing_bytes.npy", .trailingBytes, "end at byte 152, file has 156"),
    ("npy_bad_version.npy", .unsupportedVersion, "4.0"),
    ("npy_header_syntax.npy", .headerSyntax, "malformed header"),
    ("npy_missing_key.npy", .headerKeys, "fortran_order"),
    ("npy_empty.npy", .truncated, "needs 8 bytes, has 0"),
    ("npy_shape_larger_than_file.npy", .truncated, "needs 4398046511232 bytes, has 144"),
    ("npz_index_out_of_range.npz", .invalidMatrix, "column index 4"),
    ("npz_indptr_decreasing.npz", .invalidMatrix, "decrease at row 1"),
    ("npz_indptr_end.npz", .invalidMatrix, "end at 3"),
    ("npz_wrong_format.npz", .unsupportedSparseFormat, "'dia'"),
    ("npz_missing_member.npz", .missingMember, "indptr.npy"),
    ("npz_bsr_not_divisible.npz", .invalidMatrix, "not divisible"),
    ("npz_int64_index_overflow.npz", .indexOutOfRange, "indices[3]"),
    ("npz_bomb.npz", .decompressedTooLarge, "1048576"),
    ("npz_bomb_lying.npz", .decompressedTooLarge, "1048576"),
    ("npz_corrupt_zip.npz", .corruptArchive, "zip"),
    // issue 14: sizes the rest of the file does not justify, refused before inflating or allocating
    ("npz_data_member_2gib.npz", .memberTooLarge, "'data.npy': holds at least 2147483776 bytes uncompressed; at most 10204 are justified by indptr's 24 entries"),
    ("npz_data_header_lies.npz", .invalidMatrix, "found 16777216 values, expected 24"),
    ("npz_data_inflates_past.npz", .memberTooLarge, "holds at least 10012 bytes uncompressed; at most 224 are justified by its npy header"),
    ("npz_rows_over_memory_limit.npz", .memoryLimit, "offsets of 2000000000 rows"),
    ("npz_data_wrong_count.npz", .invalidMatrix, "found 5 values, expected 4"),
    ("npz_coo_col_count.npz", .countMismatch, "col entries (row has 4): expected 4, found 3"),
    ("npz_coo_row_out_of_range.npz", .invalidMatrix, "row index 5 at position 2 is out of range 0..<3"),
    ("npz_csc_row_out_of_range.npz", .invalidMatrix, "row index 3 at position 3 is out of range 0..<3"),
    ("npz_bad_crc.npz", .corruptArchive, "zip"),
    ("st_header_past_eof.safetensors", .truncated, "needs 4104 bytes"),
    ("st_header_too_large.safetensors", .headerTooLarge, "200000000"),
    ("st_invalid_utf8.safetensors", .invalidUTF8, "UTF-8"),
    ("st_invalid_json.safetensors", .invalidJSON, "expected a string key"),
    ("st_overlapping_offsets.safetensors", .overlappingTensors, "'b' begins at 4"),
    ("st_gap_between_offsets.safetensors", .gapBetweenTensors, "'b' begins at 8"),
    ("st_size_mismatch.safetensors", .dataSizeMismatch, "needs 12"),
    ("st_trailing_bytes.safetensors", .trailingBytes, "trailing bytes"),
    ("st_duplicate_names.safetensors", .duplicateName, "'a' appears twice"),
    ("st_unknown_dtype.safetensors", .unsupportedDType, "F128"),
    ("st_too_short.safetensors", .truncated, "needs 8 bytes, has 3"),
    ("st_data_truncated.safetensors", .truncated, "truncated"),
    ("st_shape_too_long.safetensors", .invalidJSON, "array longer than 1024 elements"),
    ("mtx_bad_banner.mtx", .badBanner, "line 1"),
    ("mtx_wrong_entry_count.mtx", .countMismatch, "expected 3, found 2"),
    ("mtx_too_many_entries.mtx", .countMismatch, "line 4"),
    ("mtx_index_out_of_range.mtx", .indexOutOfRange, "row 3 is out of range 1...2"),
    ("mtx_non_numeric.mtx", .notANumber, "'abc'"),
    ("mtx_complex.mtx", .unsupportedMatrixMarket, "complex"),
    ("mtx_rows_over_memory_limit.mtx", .memoryLimit, "line 2: reading needs 7.5 GiB (row offsets of 2000000000 rows), above the memory limit of 1.0 GiB (corpus test limit); set SPARROW_MEMORY_LIMIT"),
    ("mtx_array_larger_than_file.mtx", .truncated, "line 2: truncated: needs 20000000054 bytes, has 67"),
    ("smtx_truncated.smtx", .countMismatch, "line 3"),
    ("smtx_wrong_nnz.smtx", .countMismatch, "expected 5, found 4"),
    ("smtx_column_out_of_range.smtx", .indexOutOfRange, "0..<4"),
    ("smtx_non_numeric.smtx", .notANumber, "'x'"),
    ("smtx_decreasing_offsets.smtx", .invalidMatrix, "decrease at row 1"),
    ("smtx_counts_larger_than_file.smtx", .truncated, "line 1: truncated: needs 4000000008 bytes, has 40"),
]

/// The cap the corpus tests use, so the zip bomb stays tiny on disk.
let corpusDecompressionCap = 1 << 20

/// The memory limit the corpus tests use, the same on every machine (the default depends on its memory).
let corpusMemoryLimit = MemoryLimit(bytes: 1 << 30, origin: "corpus test limit")

/// The options every corpus read uses.
var corpusOptions: SparseFile.ReadOptions {
    var options = SparseFile.ReadOptions()
    options.maxDecompressedBytes = corpusDecompressionCap
    options.memoryLimit = corpusMemoryLimit
    return options
}

func corpusURL(_ file: String) throws -> URL {
    let folder = try #require(Bundle.module.url(forResource: "Malformed", withExtension: nil))
    return folder.appendingPathComponent(file)
}

@Test("malformed corpus file gives its exact error", arguments: malformedCorpus.map(\.file))
func malformedFileGivesItsError(file: String) throws {
    let entry = try #require(malformedCorpus.first { $0.file == file })
    let path = try corpusURL(file).path
    do {
        let content = try SparseFile.read(path, options: corpusOptions)
        Issue.record("\(file) was read without error: \(content)")
    } catch {
        #expect(error.kind == entry.kind, "\(file): \(error)")
        #expect(error.description.contains(entry.fragment), "\(file): \(error)")
        #expect(error.description.contains(file))
        #expect(!error.description.contains("\n"))
        #expect(error.path == path)
    }
}

@Test func corpusHasEnoughFilesAndTheTableCoversThemAll() throws {
    let folder = try #require(Bundle.module.url(forResource: "Malformed", withExtension: nil))
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
    #expect(files.count >= 30)
    #expect(Set(files) == Set(malformedCorpus.map(\.file)))
}

/// Reads `bytes` as `name`; it may succeed (a prefix of a broken file can be valid),
/// but it must not trap, and any error must be one line naming the file.
func readWithoutTrapping(_ bytes: Data, as name: String, in folder: URL) throws -> Bool {
    let target = folder.appendingPathComponent(name)
    try bytes.write(to: target)
    do {
        _ = try SparseFile.read(target.path, options: corpusOptions)
        return true
    } catch {
        #expect(!error.description.contains("\n") && error.description.contains(name), "\(error)")
        return false
    }
}

/// Every prefix (sampled) of every corpus file reads or throws, never traps.
@Test func prefixesOfCorpusFilesNeverTrap() throws {
    let folder = try #require(Bundle.module.url(forResource: "Malformed", withExtension: nil))
    let scratch = try scratchDirectory("prefix")
    defer { try? FileManager.default.removeItem(at: scratch) }
    var failures = 0, total = 0
    // Large files (the 2 GiB member, the long header) are sampled more sparsely.
    for entry in malformedCorpus where !entry.file.contains("too_large") {
        let bytes = try Data(contentsOf: folder.appendingPathComponent(entry.file))
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
            if try !readWithoutTrapping(bytes.prefix(length), as: entry.file, in: scratch) { failures += 1 }
            total += 1
        }
    }
    #expect(total > 500)
    #expect(failures > total * 9 / 10)
}

/// Valid files of every format with seeded random byte flips read or throw, never trap.
@Test func corruptedValidFilesNeverTrap() throws {
    let scratch = try scratchDirectory("flip")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let csr = sampleCSRs()[3].1, bsr = sampleBSRs()[0].1
    var tensors = TensorCollection(metadata: ["k": "v"])
    for (index, tensor) in sampleTensors().enumerated() where tensor.shape.count == 2 { tensors.append("t\(index)", tensor) }
    var originals: [(String, Data)] = [
        ("f.npy", try NPY.encode(AnyDenseTensor(shape: [3, 4], values: [Float](repeating: 1.5, count: 12)))),
        ("f.safetensors", Safetensors.encode(tensors)),
        ("f.mtx", MatrixMarket.encode(AnySparseMatrix(csr))),
        ("f.smtx", Data("5, 7, 10\n0 2 2 9 9 10\n1 6 0 1 2 3 4 5 6 3\n".utf8)),
    ]
    for (name, matrix, compressed) in [("c.npz", AnySparseMatrix(csr), true), ("s.npz", AnySparseMatrix(csr), false),
                                       ("b.npz", AnySparseMatrix(bsr), true)] {
        try NPZ.write(matrix, to: scratch.appendingPathComponent(name).path, compressed: compressed)
        originals.append((name, try Data(contentsOf: scratch.appendingPathComponent(name))))
    }
    var generator = SeededGenerator(seed: 99)
    var failures = 0, total = 0
    for (name, original) in originals {
        for _ in 0..<150 {
            var bytes = original
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if try !readWithoutTrapping(bytes, as: name, in: scratch) { failures += 1 }
            total += 1
        }
    }
    #expect(total == originals.count * 150)
    #expect(failures > 0)
}
