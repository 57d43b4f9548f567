import Foundation

/// NumPy `.npz` archives: zips of `.npy` members, stored or deflated, ZIP64 included.
///
/// ``read(_:maxDecompressedBytes:memoryLimit:)`` gives a sparse matrix (canonical CSR,
/// or BSR) for archives written by `scipy.sparse.save_npz` (those with a `format`
/// member: csr, csc, bsr or coo) and named dense tensors for plain `np.savez`
/// archives. Every member must be a plain file named `*.npy` at the top level.
///
/// Nothing is inflated or allocated that the rest of the file does not justify. The
/// zip directory is read from the memory-mapped file; a sparse archive's members are
/// read in the order `format`, `shape`, `indptr` (or `row`), then `indices`, `data`,
/// and before each member is inflated its declared size is compared with what the
/// members before it imply (the shape bounds `indptr`, `indptr`'s last entry fixes
/// `indices` and `data`); then its npy header, inflated from the first bytes, is
/// checked the same way; then its bytes are inflated into one buffer of exactly that
/// size, stopping at the first byte too many. Every archive also has a cap on the total
/// decompressed size (zip bomb guard) and a ``MemoryLimit`` on what reading allocates.
/// Stored members are not copied: their bytes are slices of the mapping.
public enum NPZ {
    /// The default cap on the total decompressed size of one archive: 4 GiB.
    public static let defaultMaxDecompressedBytes = 4 << 30

    /// Reads a scipy sparse archive, or a plain `np.savez` archive as named tensors.
    public static func read(_ path: String, maxDecompressedBytes: Int = defaultMaxDecompressedBytes,
                            memoryLimit: MemoryLimit = .default) throws(SparseIOError) -> LoadedFile {
        var archive = try Reader(path, cap: maxDecompressedBytes, memoryLimit: memoryLimit)
        if archive.contains("format") { return .sparse(try sparseMatrix(&archive)) }
        return .tensors(try tensors(&archive))
    }

    /// Reads a plain `np.savez` archive: every member must be a numeric array.
    public static func readTensors(_ path: String, maxDecompressedBytes: Int = defaultMaxDecompressedBytes,
                                   memoryLimit: MemoryLimit = .default) throws(SparseIOError) -> TensorCollection {
        var archive = try Reader(path, cap: maxDecompressedBytes, memoryLimit: memoryLimit)
        return try tensors(&archive)
    }

    /// Reads an archive written by `scipy.sparse.save_npz` (csr, csc, bsr or coo; csc and coo become CSR).
    public static func readSparse(_ path: String, maxDecompressedBytes: Int = defaultMaxDecompressedBytes,
                                  memoryLimit: MemoryLimit = .default) throws(SparseIOError) -> AnySparseMatrix {
        var archive = try Reader(path, cap: maxDecompressedBytes, memoryLimit: memoryLimit)
        return try sparseMatrix(&archive)
    }

    static func tensors(_ archive: inout Reader) throws(SparseIOError) -> TensorCollection {
        var collection = TensorCollection()
        for name in archive.names {
            guard case let .tensor(tensor) = try archive.value(name) else {
                throw SparseIOError(path: archive.path, member: name + ".npy", .unsupportedDType("string array"))
            }
            collection.append(name, tensor)
        }
        return collection
    }

    /// An opened archive: the mapped file, its members by name (without `.npy`), and the caps.
    struct Reader {
        let file: Data
        /// Member names without `.npy`, in archive order.
        let names: [String]
        let members: [String: ZipMember]
        var state: ReadState
        var path: String { state.path }

        init(_ path: String, cap: Int, memoryLimit: MemoryLimit) throws(SparseIOError) {
            file = try FileBytes.map(path, populate: true)
            var names: [String] = [], members: [String: ZipMember] = [:]
            for member in try ZipDirectory.members(of: file, path: path) {
                guard !member.isSpecial else {
                    throw SparseIOError(path: path, member: member.name, .unsafeMember("not a plain file"))
                }
                guard member.name.hasSuffix(".npy"), !member.name.contains("/"), !member.name.contains("\\"), member.name.count > 4 else {
                    throw SparseIOError(path: path, member: member.name, .unsafeMember("expected NAME.npy at the top level"))
                }
                let name = String(member.name.dropLast(4))
                guard members[name] == nil else { throw SparseIOError(path: path, member: member.name, .duplicateName(name)) }
                names.append(name)
                members[name] = member
            }
            self.names = names
            self.members = members
            state = ReadState(path: path, cap: cap, budget: MemoryBudget(memoryLimit, path: path))
        }

        func contains(_ name: String) -> Bool { members[name] != nil }

        /// The member's bytes parsed as `.npy`, after the checks of ``NPZ/extract(_:from:state:expectation:)``.
        mutating func value(_ name: String, expectation: MemberExpectation = .any) throws(SparseIOError) -> NPY.Value {
            guard let member = members[name] else { throw SparseIOError(path: path, .missingMember(name + ".npy")) }
            let bytes = try NPZ.extract(member, from: file, state: &state, expectation: expectation)
            return try NPY.decode(bytes, path: path, member: member.name)
        }
    }
}
