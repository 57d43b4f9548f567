import Foundation
import ZIPFoundation

/// NumPy `.npz` archives: zips of `.npy` members, stored or deflated, ZIP64 included.
///
/// ``read(_:maxDecompressedBytes:)`` gives a sparse matrix for archives written by
/// `scipy.sparse.save_npz` (those with a `format` member) and named dense tensors
/// for plain `np.savez` archives. Every member must be a plain file named `*.npy`.
/// Decompression is capped (zip bomb guard): the sizes the archive declares are
/// checked against the cap before anything is inflated, and the bytes actually
/// produced are counted while inflating, aborting as soon as they pass the cap.
public enum NPZ {
    /// The default cap on the total decompressed size of one archive: 4 GiB.
    public static let defaultMaxDecompressedBytes = 4 << 30

    /// Reads a scipy sparse archive, or a plain `np.savez` archive as named tensors.
    public static func read(_ path: String, maxDecompressedBytes: Int = defaultMaxDecompressedBytes) throws(SparseIOError) -> LoadedFile {
        let members = try readMembers(path, maxDecompressedBytes: maxDecompressedBytes)
        if members.contains(where: { $0.name == "format" }) {
            return .sparse(try sparseMatrix(from: members, path: path))
        }
        return .tensors(try tensors(from: members, path: path))
    }

    /// Reads a plain `np.savez` archive: every member must be a numeric array.
    public static func readTensors(_ path: String, maxDecompressedBytes: Int = defaultMaxDecompressedBytes) throws(SparseIOError) -> TensorCollection {
        try tensors(from: readMembers(path, maxDecompressedBytes: maxDecompressedBytes), path: path)
    }

    /// Reads an archive written by `scipy.sparse.save_npz` (csr or bsr).
    public static func readSparse(_ path: String, maxDecompressedBytes: Int = defaultMaxDecompressedBytes) throws(SparseIOError) -> AnySparseMatrix {
        try sparseMatrix(from: readMembers(path, maxDecompressedBytes: maxDecompressedBytes), path: path)
    }

    static func tensors(from members: [(name: String, value: NPY.Value)], path: String) throws(SparseIOError) -> TensorCollection {
        var collection = TensorCollection()
        for (name, value) in members {
            guard case let .tensor(tensor) = value else {
                throw SparseIOError(path: path, member: name, .unsupportedDType("string array"))
            }
            collection.append(name, tensor)
        }
        return collection
    }

    /// Unzips every member and parses it as `.npy`, in archive order; names lose `.npy`.
    static func readMembers(_ path: String, maxDecompressedBytes: Int) throws(SparseIOError) -> [(name: String, value: NPY.Value)] {
        let fileSize: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
                throw SparseIOError(path: path, .cannotOpen("not a regular file"))
            }
            fileSize = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch let error as SparseIOError {
            throw error
        } catch {
            throw SparseIOError(path: path, .cannotOpen("no such file or not readable"))
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw SparseIOError(path: path, .corruptArchive("not a zip file (\(error))"))
        }
        var members: [(name: String, value: NPY.Value)] = []
        var total = 0
        for entry in archive {
            let memberPath = entry.path
            guard entry.type == .file else {
                throw SparseIOError(path: path, member: memberPath, .unsafeMember("not a plain file"))
            }
            guard memberPath.hasSuffix(".npy"), !memberPath.contains("/"), memberPath.count > 4 else {
                throw SparseIOError(path: path, member: memberPath, .unsafeMember("expected NAME.npy at the top level"))
            }
            let name = String(memberPath.dropLast(4))
            guard !members.contains(where: { $0.name == name }) else {
                throw SparseIOError(path: path, member: memberPath, .duplicateName(name))
            }
            // Declared sizes first: nothing is inflated for an archive that admits it is too big.
            guard entry.compressedSize <= UInt64(fileSize) else {
                throw SparseIOError(path: path, member: memberPath, .corruptArchive("compressed size \(entry.compressedSize) exceeds the file size \(fileSize)"))
            }
            let declared = entry.uncompressedSize
            guard declared <= UInt64(maxDecompressedBytes - total) else {
                throw SparseIOError(path: path, member: memberPath, .decompressedTooLarge(limit: maxDecompressedBytes))
            }
            let data = try extract(entry, from: archive, path: path, remaining: maxDecompressedBytes - total, cap: maxDecompressedBytes)
            guard UInt64(data.count) == declared else {
                throw SparseIOError(path: path, member: memberPath, .corruptArchive("inflated to \(data.count) bytes, the archive declares \(declared)"))
            }
            total += data.count
            members.append((name, try NPY.decode(data, path: path, member: memberPath)))
        }
        return members
    }

    /// Inflates one member, counting bytes as they come and stopping past `remaining`
    /// (what is left of the archive's `cap`).
    static func extract(_ entry: Entry, from archive: Archive, path: String, remaining: Int, cap: Int) throws(SparseIOError) -> Data {
        struct CapExceeded: Error {}
        var data = Data()
        do {
            let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                guard chunk.count <= remaining - data.count else { throw CapExceeded() }
                data.append(chunk)
            }
            // ZIPFoundation's consumer form computes the CRC but leaves the comparison to us.
            guard checksum == entry.checksum else {
                throw SparseIOError(path: path, member: entry.path, .corruptArchive("CRC-32 mismatch (\(checksum) computed, \(entry.checksum) stored)"))
            }
        } catch let error as SparseIOError {
            throw error
        } catch is CapExceeded {
            throw SparseIOError(path: path, member: entry.path, .decompressedTooLarge(limit: cap))
        } catch {
            throw SparseIOError(path: path, member: entry.path, .corruptArchive("\(error)"))
        }
        return data
    }
}
