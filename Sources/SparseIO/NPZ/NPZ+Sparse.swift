import Foundation
import SparseFormats

extension NPZ {
    /// Builds a sparse matrix from `scipy.sparse.save_npz` members: CSR and BSR as
    /// stored, CSC and COO converted to canonical CSR. Every index is checked, and
    /// unsorted or duplicate indices are canonicalised as scipy's `sum_duplicates`.
    /// Members are read in dependency order so that each one's size is known before it is inflated.
    static func sparseMatrix(_ archive: inout Reader) throws(SparseIOError) -> AnySparseMatrix {
        let path = archive.path
        func fail(_ name: String?, _ defect: SparseIOError.Defect) -> SparseIOError {
            SparseIOError(path: path, member: name.map { $0 + ".npy" }, defect)
        }
        guard case let .string(format) = try archive.value("format", expectation: small("format", path: path)) else {
            throw fail("format", .memberShape("format must be a 0-d string array"))
        }
        guard ["csr", "csc", "bsr", "coo"].contains(format) else { throw fail("format", .unsupportedSparseFormat(format)) }
        let known: Set = ["format", "shape", "data", "indices", "indptr", "row", "col", "coords", "_is_array"]
        for name in archive.names where !known.contains(name) {
            throw fail(name, .unsafeMember("unexpected member in a scipy sparse archive"))
        }
        let arrays: Set = format != "coo" ? ["indices", "indptr", "data"] : archive.contains("coords") ? ["coords", "data"] : ["row", "col", "data"]
        for name in archive.names where !["format", "shape", "_is_array"].contains(name) && !arrays.contains(name) {
            throw fail(name, .unsafeMember("'\(name)' does not belong in a \(format) archive (expected \(arrays.sorted()))"))
        }
        guard case let .tensor(shapeTensor) = try archive.value("shape", expectation: small("shape", path: path)),
              shapeTensor.shape == [2], shapeTensor.dtype != .bool, let shape = shapeTensor.integers() else {
            throw fail("shape", .memberShape("shape must be 2 integers"))
        }
        for dimension in shape where dimension < 0 || dimension > Int(Int32.max) {
            throw fail("shape", .indexOutOfRange(what: "dimension", value: dimension, range: "0...\(Int32.max)"))
        }
        let rows = shape[0], columns = shape[1]
        do {
            switch format {
            case "coo": return .csr(try coo(&archive, rows: rows, columns: columns))
            case "csc":
                // A CSC matrix is the CSR matrix of its transpose.
                try archive.state.budget.reserve(rows + 1, times: 4, for: "row offsets of the \(rows) x \(columns) CSR result")
                let transpose: AnySparseMatrix
                do {
                    transpose = try compressed(&archive, format: format, major: columns, minor: rows)
                } catch let SparseFormatError.columnOutOfRange(_, position, row, limit) {
                    // The transpose's columns are the matrix's rows: name them so.
                    throw SparseFormatError.rowOutOfRange(position: position, row: row, rows: limit)
                }
                guard case let .csr(t) = transpose else { preconditionFailure("compressed() gave BSR for csc") }
                try archive.state.budget.reserve(t.nnz, times: 4 + TensorDType(t.elementType).byteWidth, for: "the CSR copy of \(t.nnz) entries")
                return .csr(transposed(t))
            default:
                return try compressed(&archive, format: format, major: rows, minor: columns)
            }
        } catch let error as SparseFormatError {
            throw SparseIOError(path: path, .invalidMatrix(error))
        } catch let error as SparseIOError {
            throw error
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// CSR (`major` = rows) or BSR, or CSC read as the CSR of its transpose (`major` = columns).
    static func compressed(_ archive: inout Reader, format: String, major: Int, minor: Int) throws -> AnySparseMatrix {
        let path = archive.path
        let bsr = format == "bsr"
        // BSR's block height is only known from data; its indptr has at most rows + 1 entries.
        try archive.state.budget.reserve(major + 1, times: 4, for: "offsets of \(major) \(format == "csc" ? "columns" : "rows")")
        let indptrExpectation = integerMember("indptr", path: path, maxElements: major + 1,
                                              reason: "shape's \(major) \(format == "csc" ? "columns" : "rows")") { shape in
            guard shape.count == 1 else { return nil }
            if bsr { return shape[0] <= major + 1 ? nil : .invalidMatrix(.rowOffsetsCount(expected: major + 1, actual: shape[0])) }
            return shape[0] == major + 1 ? nil : .invalidMatrix(.rowOffsetsCount(expected: major + 1, actual: shape[0]))
        }
        let indptr = try int32Array(archive.value("indptr", expectation: indptrExpectation), name: "indptr", path: path)
        guard let first = indptr.first else { throw SparseFormatError.rowOffsetsCount(expected: major + 1, actual: 0) }
        guard first == 0 else { throw SparseFormatError.rowOffsetsStart(value: Int(first)) }
        for row in 0..<(indptr.count - 1) where indptr[row + 1] < indptr[row] {
            throw SparseFormatError.rowOffsetsDecreasing(row: row, start: Int(indptr[row]), end: Int(indptr[row + 1]))
        }
        // Start 0 and no decrease: the last entry is the (non-negative) number of stored entries.
        let nnz = Int(indptr[indptr.count - 1])
        try archive.state.budget.reserve(nnz, times: 4, for: "\(nnz) column indices")
        let indicesExpectation = integerMember("indices", path: path, maxElements: nnz, reason: "indptr's \(nnz) entries") { shape in
            shape.count == 1 && shape[0] != nnz ? .invalidMatrix(.rowOffsetsEnd(value: nnz, nnz: shape[0])) : nil
        }
        let indices = try int32Array(archive.value("indices", expectation: indicesExpectation), name: "indices", path: path)
        let blockLimit = bsr ? saturatingProduct(major, minor) : 1
        let dataExpectation = floatMember("data", path: path, maxElements: saturatingProduct(nnz, blockLimit),
                                          reason: bsr ? "indptr's \(nnz) blocks within the \(major) x \(minor) shape" : "indptr's \(nnz) entries") { shape in
            if bsr {
                guard shape.count == 3, shape[1] > 0, shape[2] > 0, shape[1] <= max(major, 1), shape[2] <= max(minor, 1) else {
                    return .memberShape("bsr data must have shape (nblocks, R, C) with 0 < R <= \(major), 0 < C <= \(minor), found \(shape)")
                }
                return shape[0] == nnz ? nil : .invalidMatrix(.valueCount(expected: nnz, actual: shape[0]))
            }
            guard shape.count == 1 else { return .memberShape("\(format) data must be 1-d, found shape \(shape)") }
            return shape[0] == nnz ? nil : .invalidMatrix(.valueCount(expected: nnz, actual: shape[0]))
        }
        guard case let .tensor(data) = try archive.value("data", expectation: dataExpectation) else {
            throw SparseIOError(path: path, member: "data.npy", .memberShape("expected a numeric array, found a string"))
        }
        // Decoded values, and a canonical copy in case indices are unsorted or repeat.
        try archive.state.budget.reserve(data.elementCount, times: 2 * data.dtype.byteWidth, for: "\(data.elementCount) values")
        if bsr {
            return .bsr(try NPZ.bsr(data, rows: major, columns: minor, blockRows: data.shape[1], blockColumns: data.shape[2],
                                    indptr: indptr, indices: indices))
        }
        return .csr(try csr(data, rows: major, columns: minor, indptr: indptr, indices: indices))
    }

    /// COO (`row`, `col`, `data`, or `coords` of shape (2, nnz)) as canonical CSR, duplicates summed as scipy's `tocsr`.
    static func coo(_ archive: inout Reader, rows: Int, columns: Int) throws -> AnyCSRMatrix {
        let path = archive.path
        try archive.state.budget.reserve(rows + 1, times: 4, for: "row offsets of \(rows) rows")
        var rowIndex: [Int32], columnIndex: [Int32]
        if archive.contains("coords") {
            let coordsExpectation = integerMember("coords", path: path, maxElements: .max, reason: "nothing") { shape in
                shape.count == 2 && shape[0] == 2 ? nil : .memberShape("coords must have shape (2, nnz), found \(shape)")
            }
            let coords = try int32Array(archive.value("coords", expectation: coordsExpectation), name: "coords", path: path, dimensions: 2)
            rowIndex = Array(coords[0..<(coords.count / 2)])
            columnIndex = Array(coords[(coords.count / 2)...])
        } else {
            rowIndex = try int32Array(archive.value("row", expectation: integerMember("row", path: path, maxElements: .max, reason: "nothing") { _ in nil }),
                                      name: "row", path: path)
            let count = rowIndex.count
            let colExpectation = integerMember("col", path: path, maxElements: count, reason: "row's \(count) entries") { shape in
                shape.count == 1 && shape[0] != count ? .countMismatch(what: "col entries (row has \(count))", expected: count, actual: shape[0]) : nil
            }
            columnIndex = try int32Array(archive.value("col", expectation: colExpectation), name: "col", path: path)
        }
        let nnz = rowIndex.count
        let dataExpectation = floatMember("data", path: path, maxElements: nnz, reason: "the \(nnz) coordinates") { shape in
            guard shape.count == 1 else { return .memberShape("coo data must be 1-d, found shape \(shape)") }
            return shape[0] == nnz ? nil : .invalidMatrix(.valueCount(expected: nnz, actual: shape[0]))
        }
        guard case let .tensor(data) = try archive.value("data", expectation: dataExpectation) else {
            throw SparseIOError(path: path, member: "data.npy", .memberShape("expected a numeric array, found a string"))
        }
        // Decoded values, the row-sorted copy and the canonical copy.
        try archive.state.budget.reserve(nnz, times: 4 + 3 * data.dtype.byteWidth, for: "\(nnz) coordinates sorted into rows")
        return try valuesType(data).visit(COOBuilder(rows: rows, columns: columns, rowIndex: rowIndex, columnIndex: columnIndex, data: data))
    }

    /// `CSRMatrix.fromCOO` for Int32 indices, specialised in this module (the generic one is
    /// several times slower across the module boundary): a stable counting sort by row, then
    /// ``csr(_:_:_:_:_:)``, which sums duplicates in input order as scipy's `tocsr`.
    static func cooToCSR<T: SparseElement>(_ rows: Int, _ columns: Int, _ rowIndex: [Int32], _ columnIndex: [Int32],
                                           _ values: [T]) throws(SparseFormatError) -> CSRMatrix<T> {
        let count = values.count
        guard rowIndex.count == count, columnIndex.count == count else {
            throw .valueCount(expected: rowIndex.count, actual: columnIndex.count == rowIndex.count ? count : columnIndex.count)
        }
        var offsets = [Int32](repeating: 0, count: rows + 1)
        for position in 0..<count {
            let row = Int(rowIndex[position]), column = Int(columnIndex[position])
            guard row >= 0, row < rows else { throw .rowOutOfRange(position: position, row: row, rows: rows) }
            guard column >= 0, column < columns else {
                throw .columnOutOfRange(row: row, position: position, column: column, columns: columns)
            }
            offsets[row + 1] += 1
        }
        for row in 0..<rows { offsets[row + 1] += offsets[row] }
        var next = offsets
        let sortedColumns = [Int32](unsafeUninitializedCapacity: count) { columnsOut, initialized in
            for position in 0..<count {
                let row = Int(rowIndex[position])
                columnsOut[Int(next[row])] = columnIndex[position]
                next[row] += 1
            }
            // Every slot was written once: the offsets count exactly the entries of each row.
            initialized = count
        }
        next = offsets
        let sortedValues = [T](unsafeUninitializedCapacity: count) { valuesOut, initialized in
            for position in 0..<count {
                let row = Int(rowIndex[position])
                valuesOut[Int(next[row])] = values[position]
                next[row] += 1
            }
            initialized = count
        }
        return try csr(rows, columns, offsets, sortedColumns, sortedValues)
    }

    /// The transpose, through the element dispatch so the counting sort runs specialised for the
    /// concrete element type (through the payload existential it ran generic, 2-3x slower).
    static func transposed(_ matrix: AnyCSRMatrix) -> AnyCSRMatrix {
        matrix.elementType.visit(Transposer(matrix: matrix))
    }

    private struct Transposer: ElementTypeVisitor {
        let matrix: AnyCSRMatrix
        func visit<T: SparseElement>(_ type: T.Type) -> AnyCSRMatrix {
            guard let typed = matrix.typed(as: T.self) else { preconditionFailure("element type \(T.self) mismatch") }
            return AnyCSRMatrix(typed.transposed())
        }
    }

    static func csr(_ data: AnyDenseTensor, rows: Int, columns: Int, indptr: [Int32], indices: [Int32]) throws -> AnyCSRMatrix {
        try valuesType(data).visit(CSRBuilder(rows: rows, columns: columns, indptr: indptr, indices: indices, data: data))
    }

    /// Canonical CSR in one validating pass when the arrays already are (what scipy writes),
    /// else scipy's looser form canonicalised. The first pass stops at the first defect; an
    /// unsorted or repeated column sends the arrays to `canonicalizing`, which checks everything
    /// again, so the error reported for a broken matrix is the same either way.
    static func csr<T: SparseElement>(_ rows: Int, _ columns: Int, _ indptr: [Int32], _ indices: [Int32], _ values: [T]) throws(SparseFormatError) -> CSRMatrix<T> {
        do {
            return try CSRMatrix(rows: rows, columns: columns, rowOffsets: indptr, columnIndices: indices, values: values)
        } catch .unsortedColumns, .duplicateColumn {
            return try CSRMatrix.canonicalizing(rows: rows, columns: columns, rowOffsets: indptr, columnIndices: indices, values: values)
        }
    }

    static func bsr(_ data: AnyDenseTensor, rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
                    indptr: [Int32], indices: [Int32]) throws -> AnyBSRMatrix {
        try valuesType(data).visit(BSRBuilder(rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns,
                                              indptr: indptr, indices: indices, data: data))
    }
}
