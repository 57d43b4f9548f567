import Foundation
import SparseFormats

/// Matrix Market files (`.mtx`), read strictly and written as `scipy.io.mmwrite` reads them.
///
/// Read: `%%MatrixMarket matrix coordinate real|integer|pattern general|symmetric`
/// (keywords case-insensitive), and as a bonus `matrix array real|integer general`
/// (dense, column-major). Comments (`%`) and blank lines may appear anywhere after
/// the banner. Indices are 1-based. Symmetric files get their mirror entries;
/// pattern entries are 1.0; duplicates are summed, as `scipy.io.mmread(...).tocsr()`.
/// The number of entries must equal the size line's count. Values are Float64.
/// Complex, hermitian and skew-symmetric files are refused with a clear error.
///
/// Memory: a coordinate file is read in O(file + rows + nnz): the entries the file can
/// hold (at least 4 bytes each) bound what is reserved, and the CSR result needs
/// `rows + 1` row offsets; that total is checked against the ``MemoryLimit`` right after
/// the size line, so `2000000000 2000000000 3` is refused at once (8 GiB of offsets).
/// An array file's `rows x columns` must fit the values the file can hold (2 bytes
/// each) before anything is allocated.
public enum MatrixMarket {
    struct Banner {
        var array: Bool
        var pattern: Bool
        var integer: Bool
        var symmetric: Bool
    }

    /// Reads a coordinate file as a canonical CSR matrix of Float64.
    public static func readCSR(_ path: String, memoryLimit: MemoryLimit = .default) throws(SparseIOError) -> CSRMatrix<Double> {
        switch try read(path, memoryLimit: memoryLimit) {
        case let .sparse(.csr(.f64(matrix))): return matrix
        default: throw SparseIOError(path: path, .unsupportedMatrixMarket("an array (dense) file, expected coordinate"))
        }
    }

    /// Reads a coordinate file (`.sparse`, CSR Float64) or an array file (`.dense`, f64 `[rows, columns]`).
    public static func read(_ path: String, memoryLimit: MemoryLimit = .default) throws(SparseIOError) -> LoadedFile {
        let mapped = try FileBytes.map(path)
        var budget = MemoryBudget(memoryLimit, path: path)
        try budget.reserve(mapped.count, for: "a copy of the \(mapped.count)-byte file")
        var scanner = TextScanner(Array(mapped))
        func fail(_ defect: SparseIOError.Defect) -> SparseIOError {
            SparseIOError(path: path, line: scanner.lineNumber == 0 ? 1 : scanner.lineNumber, defect)
        }
        guard let first = scanner.nextLine() else { throw fail(.badBanner("empty file")) }
        let banner = try parseBanner(first, fail: fail)
        // The size line is the first line that is neither a comment nor blank.
        var sizeLine: ArraySlice<UInt8>?
        while let line = scanner.nextLine() {
            if line.first == UInt8(ascii: "%") || TextScanner.isBlank(line) { continue }
            sizeLine = line
            break
        }
        guard let sizeLine else { throw fail(.syntax("missing size line")) }
        let sizes = try TextScanner.tokens(sizeLine).map { token throws(SparseIOError) -> Int in
            guard let value = TextScanner.integer(token), value >= 0 else { throw fail(.notANumber(TextScanner.text(token))) }
            return value
        }
        guard sizes.count == (banner.array ? 2 : 3) else {
            throw fail(.syntax(banner.array ? "size line must be 'rows columns'" : "size line must be 'rows columns entries'"))
        }
        let rows = sizes[0], columns = sizes[1]
        for (name, value) in [("rows", rows), ("columns", columns)] where value > Int(Int32.max) {
            throw fail(.indexOutOfRange(what: name, value: value, range: "0...\(Int32.max)"))
        }
        if banner.array {
            return .dense(try readArray(&scanner, rows: rows, columns: columns, banner: banner, path: path, budget: &budget))
        }
        return .sparse(.csr(.f64(try readCoordinates(&scanner, rows: rows, columns: columns, entries: sizes[2], banner: banner,
                                                     path: path, budget: &budget))))
    }

    static func parseBanner(_ line: ArraySlice<UInt8>, fail: (SparseIOError.Defect) -> SparseIOError) throws(SparseIOError) -> Banner {
        let words = TextScanner.tokens(line).map { String(decoding: $0, as: UTF8.self).lowercased() }
        guard words.first == "%%matrixmarket" else { throw fail(.badBanner("the first line must start with %%MatrixMarket")) }
        guard words.count == 5 else { throw fail(.badBanner("expected '%%MatrixMarket matrix FORMAT FIELD SYMMETRY'")) }
        guard words[1] == "matrix" else { throw fail(.unsupportedMatrixMarket("object '\(words[1])' (only matrix)")) }
        guard words[2] == "coordinate" || words[2] == "array" else { throw fail(.badBanner("format '\(words[2])' (coordinate or array)")) }
        guard ["real", "double", "integer", "pattern"].contains(words[3]) else {
            if words[3] == "complex" { throw fail(.unsupportedMatrixMarket("complex field")) }
            throw fail(.badBanner("field '\(words[3])' (real, integer or pattern)"))
        }
        guard words[4] == "general" || words[4] == "symmetric" else {
            if words[4] == "skew-symmetric" || words[4] == "hermitian" { throw fail(.unsupportedMatrixMarket("\(words[4]) symmetry")) }
            throw fail(.badBanner("symmetry '\(words[4])' (general or symmetric)"))
        }
        let array = words[2] == "array"
        if array, words[3] == "pattern" { throw fail(.badBanner("array files cannot be pattern")) }
        if array, words[4] != "general" { throw fail(.unsupportedMatrixMarket("symmetric array files")) }
        return Banner(array: array, pattern: words[3] == "pattern", integer: words[3] == "integer", symmetric: words[4] == "symmetric")
    }

    static func value(_ token: ArraySlice<UInt8>, integer: Bool, fail: (SparseIOError.Defect) -> SparseIOError) throws(SparseIOError) -> Double {
        if integer {
            guard let value = TextScanner.integer(token) else { throw fail(.notANumber(TextScanner.text(token))) }
            return Double(value)
        }
        guard let value = TextScanner.real(token) else { throw fail(.notANumber(TextScanner.text(token))) }
        return value
    }

    static func readCoordinates(
        _ scanner: inout TextScanner, rows: Int, columns: Int, entries: Int, banner: Banner, path: String,
        budget: inout MemoryBudget
    ) throws(SparseIOError) -> CSRMatrix<Double> {
        func fail(_ defect: SparseIOError.Defect) -> SparseIOError { SparseIOError(path: path, line: scanner.lineNumber, defect) }
        var rowIndex = [Int32](), columnIndex = [Int32](), values = [Double]()
        // Each entry takes at least 4 bytes ("1 1\n"), so the file size bounds what to reserve.
        let reserve = min(entries, scanner.bytes.count / 4) * (banner.symmetric ? 2 : 1)
        // Everything the read allocates, before it allocates: the triples (16 bytes each), the
        // row-sorted and canonical copies (12 bytes each) and the CSR row offsets.
        try budget.reserve(rows + 1, times: 4, for: "row offsets of \(rows) rows", line: scanner.lineNumber)
        try budget.reserve(reserve, times: 16 + 2 * 12, for: "up to \(reserve) entries", line: scanner.lineNumber)
        rowIndex.reserveCapacity(reserve); columnIndex.reserveCapacity(reserve); values.reserveCapacity(reserve)
        var count = 0
        let width = banner.pattern ? 2 : 3
        while let line = scanner.nextLine() {
            if line.first == UInt8(ascii: "%") || TextScanner.isBlank(line) { continue }
            let tokens = TextScanner.tokens(line)
            guard tokens.count == width else { throw fail(.syntax("expected \(width) fields per entry, found \(tokens.count)")) }
            guard count < entries else { throw fail(.countMismatch(what: "entries (more than the size line declares)", expected: entries, actual: count + 1)) }
            guard let i = TextScanner.integer(tokens[0]) else { throw fail(.notANumber(TextScanner.text(tokens[0]))) }
            guard let j = TextScanner.integer(tokens[1]) else { throw fail(.notANumber(TextScanner.text(tokens[1]))) }
            guard i >= 1, i <= rows else { throw fail(.indexOutOfRange(what: "row", value: i, range: "1...\(rows)")) }
            guard j >= 1, j <= columns else { throw fail(.indexOutOfRange(what: "column", value: j, range: "1...\(columns)")) }
            let v = banner.pattern ? 1.0 : try value(tokens[2], integer: banner.integer, fail: fail)
            rowIndex.append(Int32(i - 1)); columnIndex.append(Int32(j - 1)); values.append(v)
            if banner.symmetric, i != j {
                rowIndex.append(Int32(j - 1)); columnIndex.append(Int32(i - 1)); values.append(v)
            }
            count += 1
        }
        guard count == entries else { throw fail(.countMismatch(what: "entries", expected: entries, actual: count)) }
        if banner.symmetric, rows != columns {
            throw SparseIOError(path: path, .unsupportedMatrixMarket("symmetric matrix of non-square shape \(rows)x\(columns)"))
        }
        do {
            return try coordinatesToCSR(rows: rows, columns: columns, rowIndex: rowIndex, columnIndex: columnIndex, values: values)
        } catch {
            throw SparseIOError(path: path, .invalidMatrix(error))
        }
    }

    /// Buckets triples by row (stable), then canonicalises (sorts columns, sums duplicates).
    static func coordinatesToCSR(rows: Int, columns: Int, rowIndex: [Int32], columnIndex: [Int32], values: [Double]) throws(SparseFormatError) -> CSRMatrix<Double> {
        guard values.count <= Int(Int32.max) else {
            throw .dimensionTooLarge(name: "entries", value: values.count, limit: Int(Int32.max))
        }
        var offsets = [Int32](repeating: 0, count: rows + 1)
        for row in rowIndex { offsets[Int(row) + 1] += 1 }
        for row in 0..<rows { offsets[row + 1] += offsets[row] }
        var next = offsets
        var columnsOut = [Int32](repeating: 0, count: values.count), valuesOut = [Double](repeating: 0, count: values.count)
        for index in 0..<values.count {
            let row = Int(rowIndex[index])
            columnsOut[Int(next[row])] = columnIndex[index]
            valuesOut[Int(next[row])] = values[index]
            next[row] += 1
        }
        return try CSRMatrix.canonicalizing(rows: rows, columns: columns, rowOffsets: offsets, columnIndices: columnsOut, values: valuesOut)
    }

    static func readArray(
        _ scanner: inout TextScanner, rows: Int, columns: Int, banner: Banner, path: String, budget: inout MemoryBudget
    ) throws(SparseIOError) -> AnyDenseTensor {
        func fail(_ defect: SparseIOError.Defect) -> SparseIOError { SparseIOError(path: path, line: scanner.lineNumber, defect) }
        let (total, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow else { throw fail(.sizeOverflow("\(rows) x \(columns)")) }
        // Each value takes at least 2 bytes ("1\n"): the rest of the file bounds rows x columns.
        let room = (scanner.bytes.count - scanner.position + 1) / 2
        guard total <= room else {
            let (needed, overflow) = total.multipliedReportingOverflow(by: 2)
            throw fail(.truncated(needed: overflow ? .max : scanner.position + needed - 1, available: scanner.bytes.count))
        }
        try budget.reserve(total, times: 2 * 8, for: "\(rows) x \(columns) values in two orders", line: scanner.lineNumber)
        var columnMajor = [Double]()
        columnMajor.reserveCapacity(total)
        while let line = scanner.nextLine() {
            if line.first == UInt8(ascii: "%") || TextScanner.isBlank(line) { continue }
            let tokens = TextScanner.tokens(line)
            guard tokens.count == 1 else { throw fail(.syntax("expected 1 value per line, found \(tokens.count)")) }
            guard columnMajor.count < total else { throw fail(.countMismatch(what: "values (more than rows x columns)", expected: total, actual: columnMajor.count + 1)) }
            columnMajor.append(try value(tokens[0], integer: banner.integer, fail: fail))
        }
        guard columnMajor.count == total else { throw fail(.countMismatch(what: "values", expected: total, actual: columnMajor.count)) }
        var rowMajor = [Double](repeating: 0, count: total)
        for c in 0..<columns { for r in 0..<rows { rowMajor[r * columns + c] = columnMajor[c * rows + r] } }
        return AnyDenseTensor(shape: [rows, columns], values: rowMajor)
    }
}
