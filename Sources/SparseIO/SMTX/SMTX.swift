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
    public static func read<T: SparseElement>(_ path: String, as: T.Type = Float.self,
                                              memoryLimit: MemoryLimit = .default) throws(SparseIOError) -> CSRMatrix<T> {
        let (rows, columns, offsets, indices) = try readPattern(path, memoryLimit: memoryLimit, valueWidth: MemoryLayout<T>.stride)
        var generator = SeededGenerator(seed: valueSeed)
        let values: [T] = generator.signedUnitValues(indices.count)
        do {
            return try CSRMatrix(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: indices, values: values)
        } catch {
            throw SparseIOError(path: path, line: 3, .invalidMatrix(error))
        }
    }

    /// Reads and checks the pattern only. Memory: the header's counts are checked against
    /// the file size (every number takes at least 2 bytes) and the ``MemoryLimit`` before
    /// the arrays are allocated, and numbers are parsed in place, not as tokens.
    public static func readPattern(_ path: String, memoryLimit: MemoryLimit = .default, valueWidth: Int = 0)
        throws(SparseIOError) -> (rows: Int, columns: Int, rowOffsets: [Int32], columnIndices: [Int32]) {
        let mapped = try FileBytes.map(path)
        var budget = MemoryBudget(memoryLimit, path: path)
        try budget.reserve(mapped.count, for: "a copy of the \(mapped.count)-byte file")
        var scanner = TextScanner(Array(mapped))
        func fail(_ defect: SparseIOError.Defect, line: Int) -> SparseIOError { SparseIOError(path: path, line: line, defect) }
        func integers(_ line: ArraySlice<UInt8>?, number: Int, what: String, limit: Int) throws(SparseIOError) -> [Int32] {
            var out = [Int32]()
            out.reserveCapacity(limit)
            var found = 0
            if let line {
                var index = line.startIndex
                func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0x2C }
                while true {
                    while index < line.endIndex, isSeparator(line[index]) { index += 1 }
                    guard index < line.endIndex else { break }
                    let start = index
                    while index < line.endIndex, !isSeparator(line[index]) { index += 1 }
                    found += 1
                    // Past the limit only the count matters (for the message).
                    guard found <= limit else { continue }
                    let token = line[start..<index]
                    guard let value = TextScanner.integer(token) else { throw fail(.notANumber(TextScanner.text(token)), line: number) }
                    guard let narrow = Int32(exactly: value), narrow >= 0 else {
                        throw fail(.indexOutOfRange(what: what, value: value, range: "0...\(Int32.max)"), line: number)
                    }
                    out.append(narrow)
                }
            }
            guard found == limit else { throw fail(.countMismatch(what: what, expected: limit, actual: found), line: number) }
            return out
        }
        let header = try integers(scanner.nextLine(), number: 1, what: "numbers on line 1 (nrows, ncols, nnz)", limit: 3)
        let rows = Int(header[0]), columns = Int(header[1]), nnz = Int(header[2])
        // Every offset and index takes at least 2 bytes, so a count beyond that is a lie; checked before allocating.
        guard rows + 1 + nnz <= scanner.bytes.count / 2 + 1 else {
            throw fail(.truncated(needed: 2 * (rows + 1 + nnz), available: scanner.bytes.count), line: 1)
        }
        try budget.reserve(rows + 1 + nnz, times: 4, for: "\(rows + 1) row offsets and \(nnz) column indices")
        try budget.reserve(nnz, times: valueWidth, for: "\(nnz) values")
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
