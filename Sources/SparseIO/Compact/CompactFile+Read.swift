import Foundation
import SparseFormats

extension CompactFile {
    /// Reads a `.spc` file: the header, the counts checked against each other, the element
    /// size and the file's size (and the memory limit) before any array is allocated, then the
    /// arrays validated by the format's initialiser.
    public static func read(_ path: String, memoryLimit: MemoryLimit = .default) throws(SparseIOError) -> Contents {
        let data = try FileBytes.map(path)
        func fail(_ defect: SparseIOError.Defect, at offset: Int? = nil) -> SparseIOError {
            SparseIOError(path: path, offset: offset, defect)
        }
        guard data.count >= headerBytes else { throw fail(.truncated(needed: headerBytes, available: data.count)) }
        guard Array(data.bytes(0..<7)) == magicPrefix else {
            throw fail(.badMagic("not a Sparrow compact file (expected the magic SPRWCMP)"), at: 0)
        }
        let fileVersion = data[data.startIndex + 7]
        guard (oldestReadVersion...version).contains(fileVersion) else {
            throw fail(.unsupportedVersion(
                "compact file version \(fileVersion); this Sparrow reads versions \(oldestReadVersion) to \(version)"), at: 7)
        }
        let formatCode = UInt32(data.littleEndianInteger(at: 8, width: 4))
        guard let format = Format(rawValue: formatCode) else {
            throw fail(.unsupportedSparseFormat("compact format code \(formatCode) (\(Format.codeList))"), at: 8)
        }
        guard fileVersion >= 2 || (format != .twoFour && format != .fcoo16) else {
            throw fail(.unsupportedVersion("1 with compact format code \(formatCode) (\(format)), which only version 2 has"), at: 7)
        }
        guard fileVersion >= 2 || format != .bitmap8x8 else {
            throw fail(.unsupportedVersion(
                "bitmap8x8 in a version-1 compact file stores its tiles in the old order (8 x 8 tiles row by row); "
                    + "convert the matrix again with this Sparrow (`sparrow convert --format bitmap`)"), at: 7)
        }
        let typeCode = UInt32(data.littleEndianInteger(at: 12, width: 4))
        guard let type = elementType(code: typeCode) else {
            throw fail(.unsupportedDType("element type code \(typeCode) (1 f64, 2 f32, 3 f16, 4 bf16)"), at: 12)
        }
        var fields: [Int] = []
        for (index, name) in ["rows", "columns", "offset count", "index count", "value count"].enumerated() {
            let raw = data.littleEndianInteger(at: 16 + 8 * index, width: 8)
            guard raw <= UInt64(Int32.max) else {
                throw fail(.sizeOverflow("\(name) \(raw) exceeds 2^31 - 1"), at: 16 + 8 * index)
            }
            fields.append(Int(raw))
        }
        let (rows, columns, a, b, c) = (fields[0], fields[1], fields[2], fields[3], fields[4])
        try checkCounts(format, rows: rows, columns: columns, offsets: a, indices: b, values: c, fail: fail)
        let indexWidth = format.indexItemBytes
        // Array extents in file order; counts are below 2^31, so no product overflows.
        var extents: [(start: Int, bytes: Int)] = []
        var end = headerBytes
        let sizes = format == .bitmap8x8 ? [b * indexWidth, a * 4, c * type.byteWidth] : [a * 4, b * indexWidth, c * type.byteWidth]
        for size in sizes {
            let start = aligned(end)
            extents.append((start, size))
            end = start + size
        }
        guard data.count >= end else { throw fail(.truncated(needed: end, available: data.count)) }
        guard data.count == end else { throw fail(.trailingBytes(expected: end, actual: data.count)) }
        guard end <= memoryLimit.bytes else {
            throw fail(.memoryLimit(needed: end, limit: memoryLimit.bytes, what: "compact matrix arrays", origin: memoryLimit.origin))
        }
        do {
            return try type.visit(Decoder(format: format, rows: rows, columns: columns, data: data, extents: extents))
        } catch {
            throw fail(.invalidMatrix(error))
        }
    }

    /// The rules between the header's counts (see the layout in CompactFile.swift).
    static func checkCounts(
        _ format: Format, rows: Int, columns: Int, offsets a: Int, indices b: Int, values c: Int,
        fail: (SparseIOError.Defect, Int?) -> SparseIOError
    ) throws(SparseIOError) {
        switch format {
        case .csr16:
            let panels = max(1, (columns + CSR16Matrix<Float>.panelWidth - 1) / CSR16Matrix<Float>.panelWidth)
            guard a == panels * rows + 1 else { throw fail(.countMismatch(what: "csr16 offsets (panels x rows + 1)", expected: panels * rows + 1, actual: a), 32) }
            guard b == c else { throw fail(.countMismatch(what: "csr16 column indices (one per value)", expected: c, actual: b), 40) }
        case .delta4:
            guard a == rows + 1 else { throw fail(.countMismatch(what: "delta4 row offsets (rows + 1)", expected: rows + 1, actual: a), 32) }
            guard b == (c + 1) / 2 else { throw fail(.countMismatch(what: "delta4 nibble bytes (ceil(values / 2))", expected: (c + 1) / 2, actual: b), 40) }
        case .bitmap8x8:
            let tiles = BitmapTiledMatrix<Float>.tileCount(rows: rows, columns: columns)
            guard b == tiles else { throw fail(.countMismatch(what: "bitmap8x8 tile masks (4 x ceil(rows / 16) x ceil(columns / 16))", expected: tiles, actual: b), 40) }
            guard a == b + 1 else { throw fail(.countMismatch(what: "bitmap8x8 tile offsets (tiles + 1)", expected: b + 1, actual: a), 32) }
        case .twoFour:
            // Rows and columns are below 2^31: at most 2^27 x 2^26 tiles, so no product overflows.
            let tiles = TwoFourMatrix<Float>.tileCount(rows: rows, columns: columns)
            let words = tiles * TwoFourMatrix<Float>.wordsPerTile, values = tiles * TwoFourMatrix<Float>.valuesPerTile
            guard a == 0 else { throw fail(.countMismatch(what: "2:4 offsets (none)", expected: 0, actual: a), 32) }
            guard b == words else { throw fail(.countMismatch(what: "2:4 metadata words (16 x ceil(rows / 16) x ceil(columns / 32))", expected: words, actual: b), 40) }
            guard c == values else { throw fail(.countMismatch(what: "2:4 values (256 x ceil(rows / 16) x ceil(columns / 32))", expected: values, actual: c), 48) }
        case .fcoo16:
            let blocks = FragmentCOOMatrix<Float>.blockCount(rows: rows, columns: columns)
            guard a == blocks + 1 else { throw fail(.countMismatch(what: "fcoo16 block offsets (ceil(rows / 16) x ceil(columns / 16) + 1)", expected: blocks + 1, actual: a), 32) }
            guard b == c else { throw fail(.countMismatch(what: "fcoo16 positions (one per value)", expected: c, actual: b), 40) }
        }
    }

    /// Builds the typed matrix from the checked extents.
    struct Decoder: ElementTypeVisitor {
        let format: Format
        let rows: Int, columns: Int
        let data: Data
        let extents: [(start: Int, bytes: Int)]

        func items<T>(_ index: Int, as _: T.Type) -> [T] {
            let extent = extents[index]
            let count = extent.bytes / MemoryLayout<T>.stride
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                // The extent lies inside `data` (checked against its size); copy raw bytes.
                data.bytes(extent.start..<(extent.start + extent.bytes)).copyBytes(to: UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            }
        }

        func visit<T: SparseElement>(_: T.Type) throws(SparseFormatError) -> Contents {
            let values = items(2, as: T.self)
            switch format {
            case .csr16:
                let m = try CSR16Matrix(
                    rows: rows, columns: columns, offsets: items(0, as: Int32.self).map { Int32(littleEndian: $0) },
                    columnIndices: items(1, as: UInt16.self).map { UInt16(littleEndian: $0) }, values: values)
                return contents(m.storageBytes, m.nnz, m.values.count, m.csr())
            case .delta4:
                let m = try DeltaCSRMatrix(
                    rows: rows, columns: columns, rowOffsets: items(0, as: Int32.self).map { Int32(littleEndian: $0) },
                    deltas: items(1, as: UInt8.self), values: values)
                return contents(m.storageBytes, m.nnz, m.values.count, m.csr())
            case .bitmap8x8:
                let m = try BitmapTiledMatrix(
                    rows: rows, columns: columns, masks: items(0, as: UInt64.self).map { UInt64(littleEndian: $0) },
                    tileOffsets: items(1, as: Int32.self).map { Int32(littleEndian: $0) }, values: values)
                return contents(m.storageBytes, m.nnz, m.values.count, m.csr())
            case .twoFour:
                // Array 0 (the offsets) is empty.
                let m = try TwoFourMatrix(
                    rows: rows, columns: columns, values: values, metadata: items(1, as: UInt32.self).map { UInt32(littleEndian: $0) })
                return contents(m.storageBytes, m.nnz, m.values.count, m.csr())
            case .fcoo16:
                let m = try FragmentCOOMatrix(
                    rows: rows, columns: columns, blockOffsets: items(0, as: Int32.self).map { Int32(littleEndian: $0) },
                    positions: items(1, as: UInt8.self), values: values)
                return contents(m.storageBytes, m.nnz, m.values.count, m.csr())
            }
        }

        func contents<T: SparseElement>(_ storage: Int, _ nonzeros: Int, _ stored: Int, _ csr: CSRMatrix<T>) -> Contents {
            Contents(format: format, elementType: T.elementType, rows: rows, columns: columns, nonzeros: nonzeros,
                     storedEntries: stored, storageBytes: storage, csr: AnySparseMatrix(csr))
        }
    }
}
