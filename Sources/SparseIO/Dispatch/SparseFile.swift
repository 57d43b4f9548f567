import Foundation
import SparseFormats

/// What a file holds once read.
public enum LoadedFile: Sendable, Hashable {
    /// One dense tensor (`.npy`, Matrix Market `array`).
    case dense(AnyDenseTensor)
    /// One sparse matrix (scipy `.npz`, Matrix Market `coordinate`, DLMC `.smtx`).
    case sparse(AnySparseMatrix)
    /// Named dense tensors (`.safetensors`, plain `np.savez` `.npz`).
    case tensors(TensorCollection)
}

/// The command line's single entry point to files: dispatches on the extension.
public enum SparseFile {
    /// The formats Sparrow knows, by extension.
    public enum Format: String, Sendable, CaseIterable {
        case npy, npz, safetensors, mtx, smtx
        /// Sparrow's compact formats (``CompactFile``).
        case spc

        /// The format named by `path`'s extension (case-insensitive).
        public init(path: String) throws(SparseIOError) {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            guard let format = Format(rawValue: ext) else { throw SparseIOError(path: path, .unknownExtension(ext)) }
            self = format
        }
    }

    /// Options for reading.
    public struct ReadOptions: Sendable {
        /// Cap on the total decompressed size of an `.npz` (zip bomb guard).
        public var maxDecompressedBytes: Int = NPZ.defaultMaxDecompressedBytes
        /// The most memory one read may allocate (see ``MemoryLimit``; default: a quarter
        /// of physical memory, or `SPARROW_MEMORY_LIMIT`).
        public var memoryLimit: MemoryLimit = .default
        /// Element type of the values filled into `.smtx` patterns.
        public var smtxElement: ElementType = .f32
        public init() {}
    }

    /// Reads `path` according to its extension: `.npy` gives `.dense`; `.npz` gives
    /// `.sparse` (scipy `save_npz`) or `.tensors` (`np.savez`); `.safetensors` gives
    /// `.tensors`; `.mtx` gives `.sparse` (coordinate) or `.dense` (array); `.smtx`
    /// gives `.sparse` with seeded values (see ``SMTX``); `.spc` gives `.sparse`, decoded to CSR
    /// (see ``CompactFile``).
    public static func read(_ path: String, options: ReadOptions = ReadOptions()) throws(SparseIOError) -> LoadedFile {
        switch try Format(path: path) {
        case .npy: return .dense(try NPY.read(path))
        case .npz: return try NPZ.read(path, maxDecompressedBytes: options.maxDecompressedBytes, memoryLimit: options.memoryLimit)
        case .safetensors: return .tensors(try Safetensors.read(path))
        case .mtx: return try MatrixMarket.read(path, memoryLimit: options.memoryLimit)
        case .smtx: return .sparse(try options.smtxElement.visit(SMTXReader(path: path, memoryLimit: options.memoryLimit)))
        case .spc: return .sparse(try CompactFile.read(path, memoryLimit: options.memoryLimit).csr)
        }
    }

    /// Writes `content` to `path` according to its extension: a dense tensor as
    /// `.npy` or `.safetensors` (named `tensorName`); named tensors as `.safetensors`
    /// or `.npz` (`np.savez`); a sparse matrix as `.npz` (scipy `save_npz`,
    /// compressed) or `.mtx` (coordinate real general). `.smtx` is read-only; `.spc` is written
    /// by ``CompactFile/write(_:as:to:)``, which needs the compact format.
    public static func write(_ content: LoadedFile, to path: String, tensorName: String = "weight") throws(SparseIOError) {
        switch (try Format(path: path), content) {
        case let (.npy, .dense(tensor)): try NPY.write(tensor, to: path)
        case let (.npy, .tensors(tensors)) where tensors.count == 1:
            if let tensor = tensors[tensors.names[0]] { try NPY.write(tensor, to: path) }
        case let (.safetensors, .dense(tensor)):
            var tensors = TensorCollection()
            tensors.append(tensorName, tensor)
            try Safetensors.write(tensors, to: path)
        case let (.safetensors, .tensors(tensors)): try Safetensors.write(tensors, to: path)
        case let (.npz, .tensors(tensors)): try NPZ.write(tensors, to: path)
        case let (.npz, .sparse(matrix)): try NPZ.write(matrix, to: path)
        case let (.mtx, .sparse(matrix)): try MatrixMarket.write(matrix, to: path)
        case let (format, content):
            throw SparseIOError(path: path, .unsupportedContent("\(content.summaryKind) cannot be written as .\(format.rawValue)"))
        }
    }
}

/// Reads a `.smtx` file with values of one element type (``SMTX/read(_:as:memoryLimit:)``).
struct SMTXReader: ElementTypeVisitor {
    let path: String
    let memoryLimit: MemoryLimit

    func visit<T: SparseElement>(_: T.Type) throws(SparseIOError) -> AnySparseMatrix {
        AnySparseMatrix(try SMTX.read(path, as: T.self, memoryLimit: memoryLimit))
    }
}

extension LoadedFile {
    /// "a dense tensor", "a sparse matrix", "named tensors": for messages.
    var summaryKind: String {
        switch self {
        case .dense: "a dense tensor"
        case .sparse: "a sparse matrix"
        case .tensors(let t): "\(t.count) named tensors"
        }
    }
}
