import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SparseFormats
import ZIPFoundation

extension NPZ {
    /// Writes a sparse matrix as `scipy.sparse.save_npz` does: members `indices`,
    /// `indptr` (int32), `format` (`|S3`), `shape` (int64) and `data` (the element
    /// type; `(nblocks, R, C)` for BSR), deflated unless `compressed` is false.
    /// f16 and bf16 matrices are refused: scipy.sparse has no float16 and NumPy no bf16.
    public static func write(_ matrix: AnySparseMatrix, to path: String, compressed: Bool = true) throws(SparseIOError) {
        let data: AnyDenseTensor, offsets: [Int32], indices: [Int32]
        switch matrix {
        case let .csr(m):
            let p = m.parts
            offsets = p.offsets
            indices = p.indices
            data = try values(of: m.elementType, shape: [p.values.count], csr: m, bsr: nil, path: path)
        case let .bsr(m):
            let p = m.parts
            offsets = p.offsets
            indices = p.indices
            data = try values(of: m.elementType, shape: [p.indices.count, p.blockRows, p.blockColumns], csr: nil, bsr: m, path: path)
        }
        let members: [(String, Data)] = [
            ("indices", try NPY.encode(AnyDenseTensor(shape: [indices.count], int32: indices), path: path)),
            ("indptr", try NPY.encode(AnyDenseTensor(shape: [offsets.count], int32: offsets), path: path)),
            ("format", NPY.encodeByteString(matrix.formatName)),
            ("shape", try NPY.encode(AnyDenseTensor(shape: [2], int64: [Int64(matrix.rows), Int64(matrix.columns)]), path: path)),
            ("data", try NPY.encode(data, path: path)),
        ]
        try writeArchive(members, to: path, compressed: compressed)
    }

    /// Writes named dense tensors as `np.savez` (or `np.savez_compressed` when `compressed`).
    public static func write(_ tensors: TensorCollection, to path: String, compressed: Bool = false) throws(SparseIOError) {
        var members: [(String, Data)] = []
        for name in tensors.names {
            guard let tensor = tensors[name] else { continue }
            guard !name.isEmpty, !name.contains("/") else {
                throw SparseIOError(path: path, member: name, .unsupportedContent("npz member names must be non-empty and contain no '/'"))
            }
            members.append((name, try NPY.encode(tensor, path: path)))
        }
        try writeArchive(members, to: path, compressed: compressed)
    }

    static func values(of element: ElementType, shape: [Int], csr: AnyCSRMatrix?, bsr: AnyBSRMatrix?, path: String) throws(SparseIOError) -> AnyDenseTensor {
        switch (csr, bsr) {
        case let (.f64(m)?, _): AnyDenseTensor(shape: shape, values: m.values)
        case let (.f32(m)?, _): AnyDenseTensor(shape: shape, values: m.values)
        case let (_, .f64(m)?): AnyDenseTensor(shape: shape, values: m.values)
        case let (_, .f32(m)?): AnyDenseTensor(shape: shape, values: m.values)
        default:
            throw SparseIOError(path: path, .unsupportedContent("\(element.rawValue) values cannot be stored in a scipy .npz (scipy.sparse supports only f32 and f64; convert first)"))
        }
    }

    /// Builds the zip next to `path` and renames it over `path`, so a failed write leaves no half file.
    static func writeArchive(_ members: [(String, Data)], to path: String, compressed: Bool) throws(SparseIOError) {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            let archive = try Archive(url: temporary, accessMode: .create)
            for (name, bytes) in members {
                try archive.addEntry(
                    with: name + ".npy", type: .file, uncompressedSize: Int64(bytes.count),
                    compressionMethod: compressed ? .deflate : .none
                ) { position, size in
                    let start = bytes.startIndex + Int(position)
                    return bytes.subdata(in: start..<(start + size))
                }
            }
            // rename(2) replaces an existing file atomically.
            guard rename(temporary.path, target.path) == 0 else {
                throw SparseIOError(path: path, .cannotWrite(FileBytes.systemError()))
            }
        } catch let error as SparseIOError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SparseIOError(path: path, .cannotWrite("\(error)"))
        }
    }
}
