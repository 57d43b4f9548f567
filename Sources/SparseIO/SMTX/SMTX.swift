import Foundation
import SparseFormats

/// DLMC `.smtx` sparsity patterns (Gale et al., "Sparse GPU Kernels for Deep Learning").
///
/// Text, three lines: `nrows, ncols, nnz`; the `nrows + 1` row offsets; the `nnz`
/// 0-based column indices (separated by spaces; commas are also accepted). The
/// files hold no values. Reading is strict: wrong counts, non-numbers, offsets
/// that do not start at 0, decrease or do not end at nnz, columns out of range,
/// unsorted or repeated columns, and any further non-blank line are errors.
///
/// Values: every load fills them with the same numbers, so every run and every
/// tool sees the same matrix. The generator is
/// `SeededGenerator(seed: SMTX.valueSeed)` (seed 0x5350_4152_524F_5721, "SPARROW!"
/// in ASCII), and value `k` in storage order (row by row, then along each row) is
/// the `k`-th `nextSignedUnitFloat()` draw converted to the element type. The seed
/// does not depend on the file, so two files with the same nnz share their values.
public enum SMTX {
    /// The seed of the values every `.smtx` load fills in.
    public static let valueSeed: UInt64 = 0x5350_4152_524F_5721

    /// Reads a pattern and fills values as described above.
    public static func read<T: SparseElement>(_ path: String, as: T.Type = Float.self) throws(SparseIOError) -> CSRMatrix<T> {
        let (rows, columns, offsets, indices) = try readPattern(path)
        var generator = SeededGenerator(seed: valueSeed)
        let values: [T] = generator.signedUnitValues(indices.count)
        do {
            return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
        } catch {
            throw SparseIOError(path: path, line: 3, .invalidMatrix(error))
        }
    }

    /// Reads and checks the pattern only.
    public static func readPattern(_ path: String) throws(SparseIOError) -> (rows: Int, columns: Int, rowOffsets: [Int32], columnIndices: [Int32]) {
        var scanner = TextScanner(Array(try FileBytes.map(path)))
        func fail(_ defect: SparseIOError.Defect, line: Int) -> SparseIOError { SparseIOError(path: path, line: line, defect) }
        func integers(_ line: ArraySlice<UInt8>?, number: Int, what: String, limit: Int) throws(SparseIOError) -> [Int32] {
            let tokens = line.map { TextScanner.tokens($0, commas: true) } ?? []
            guard tokens.count == limit else {
                throw fail(.countMismatch(what: what, expected: limit, actual: tokens.count), line: number)
            }
            var out = [Int32]()
            out.reserveCapacity(tokens.count)
            for token in tokens {
                guard let value = TextScanner.integer(token) else { throw fail(.notANumber(TextScanner.text(token)), line: number) }
                guard let narrow = Int32(exactly: value), narrow >= 0 else {
                    throw fail(.indexOutOfRange(what: what, value: value, range: "0...\(Int32.max)"), line: number)
                }
                out.append(narrow)
            }
            return out
        }
        let header = try integers(scanner.nextLine(), number: 1, what: "numbers on line 1 (nrows, ncols, nnz)", limit: 3)
        let rows = Int(header[0]), columns = Int(header[1]), nnz = Int(header[2])
        // Every offset and index takes at least 2 bytes, so a count beyond that is a lie; checked before allocating.
        guard rows + 1 + nnz <= scanner.bytes.count / 2 + 1 else {
            throw fail(.truncated(needed: 2 * (rows + 1 + nnz), available: scanner.bytes.count), line: 1)
        }
        let offsets = try integers(scanner.nextLine(), number: 2, what: "row offsets on line 2", limit: rows + 1)
        let line3 = scanner.nextLine()
        let indices = nnz == 0 && (line3 == nil || line3.map(TextScanner.isBlank) == true)
            ? [] : try integers(line3, number: 3, what: "column indices on line 3", limit: nnz)
        while let extra = scanner.nextLine() {
            guard TextScanner.isBlank(extra) else { throw fail(.syntax("unexpected text after line 3"), line: scanner.lineNumber) }
        }
        guard offsets[0] == 0 else { throw fail(.invalidMatrix(.rowOffsetsStart(value: Int(offsets[0]))), line: 2) }
        for row in 0..<rows where offsets[row + 1] < offsets[row] {
            throw fail(.invalidMatrix(.rowOffsetsDecreasing(row: row, start: Int(offsets[row]), end: Int(offsets[row + 1]))), line: 2)
        }
        guard Int(offsets[rows]) == nnz else { throw fail(.invalidMatrix(.rowOffsetsEnd(value: Int(offsets[rows]), nnz: nnz)), line: 2) }
        for (position, column) in indices.enumerated() where Int(column) >= columns {
            throw fail(.indexOutOfRange(what: "column index at position \(position)", value: Int(column), range: "0..<\(columns)"), line: 3)
        }
        return (rows, columns, offsets, indices)
    }
}
