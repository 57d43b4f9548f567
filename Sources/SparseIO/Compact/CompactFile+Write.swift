import Foundation
import SparseFormats

extension CompactFile {
    /// Encodes `matrix` (canonical CSR of any element type) in `format` and writes it to `path`
    /// atomically; returns what the file holds.
    @discardableResult
    public static func write(_ matrix: AnyCSRMatrix, as format: Format, to path: String) throws(SparseIOError) -> Contents {
        let encoded: (Data, Contents)
        do {
            switch matrix {
            case let .f64(w): encoded = try encode(w, format)
            case let .f32(w): encoded = try encode(w, format)
            case let .f16(w): encoded = try encode(w, format)
            case let .bf16(w): encoded = try encode(w, format)
            }
        } catch {
            throw SparseIOError(path: path, .invalidMatrix(error))
        }
        try FileBytes.write(encoded.0, to: path)
        return encoded.1
    }

    static func encode<E: SparseElement>(_ w: CSRMatrix<E>, _ format: Format) throws(SparseFormatError) -> (Data, Contents) {
        var data = Data()
        func header(offsets: Int, indices: Int, values: Int) {
            data.append(contentsOf: magic)
            data.appendLittleEndian(format.rawValue)
            data.appendLittleEndian(code(E.elementType))
            for value in [w.rows, w.columns, offsets, indices, values] { data.appendLittleEndian(UInt64(value)) }
        }
        func array<T>(_ items: [T]) {
            data.append(contentsOf: [UInt8](repeating: 0, count: aligned(data.count) - data.count))
            items.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        let storage: Int, nonzeros: Int, stored: Int, decoded: CSRMatrix<E>
        switch format {
        case .csr16:
            let m = try CSR16Matrix(csr: w)
            header(offsets: m.offsets.count, indices: m.columnIndices.count, values: m.values.count)
            array(m.offsets.map { $0.littleEndian })
            array(m.columnIndices.map { $0.littleEndian })
            array(m.values)
            (storage, nonzeros, stored, decoded) = (m.storageBytes, m.nnz, m.values.count, m.csr())
        case .delta4:
            let m = try DeltaCSRMatrix(csr: w)
            header(offsets: m.rowOffsets.count, indices: m.deltas.count, values: m.values.count)
            array(m.rowOffsets.map { $0.littleEndian })
            array(m.deltas)
            array(m.values)
            (storage, nonzeros, stored, decoded) = (m.storageBytes, m.nnz, m.values.count, m.csr())
        case .bitmap8x8:
            let m = try BitmapTiledMatrix(csr: w)
            header(offsets: m.tileOffsets.count, indices: m.masks.count, values: m.values.count)
            array(m.masks.map { $0.littleEndian })
            array(m.tileOffsets.map { $0.littleEndian })
            array(m.values)
            (storage, nonzeros, stored, decoded) = (m.storageBytes, m.nnz, m.values.count, m.csr())
        case .twoFour:
            let m = try TwoFourMatrix(csr: w)
            header(offsets: 0, indices: m.metadata.count, values: m.values.count)
            array(m.metadata.map { $0.littleEndian })
            array(m.values)
            (storage, nonzeros, stored, decoded) = (m.storageBytes, m.nnz, m.values.count, m.csr())
        case .fcoo16:
            let m = try FragmentCOOMatrix(csr: w)
            header(offsets: m.blockOffsets.count, indices: m.positions.count, values: m.values.count)
            array(m.blockOffsets.map { $0.littleEndian })
            array(m.positions)
            array(m.values)
            (storage, nonzeros, stored, decoded) = (m.storageBytes, m.nnz, m.values.count, m.csr())
        }
        let contents = Contents(
            format: format, elementType: E.elementType, rows: w.rows, columns: w.columns, nonzeros: nonzeros,
            storedEntries: stored, storageBytes: storage, csr: AnySparseMatrix(decoded))
        return (data, contents)
    }
}
