import Foundation
import SparseFormats
import SparseIO

/// `sparrow convert MODEL OUTDIR --all-sparse`: every sparse 2-D tensor of a model as a CSR
/// `.npz` (scipy `save_npz`) in one folder, with an `index.json` naming them.
///
/// A tensor is written when it is 2-D, floating point and at least `minSparsity` of its
/// elements are exactly zero. Files are named by ``TensorFileName``. f16 and bf16 values are
/// written as f32 (exact; scipy reads only f32 and f64 sparse matrices) unless `dtype` says f64.
package struct SparseFolderJob: Sendable {
    /// The rule's default: a pruned tensor has at least this fraction of zeros.
    package static let defaultMinSparsity = 0.3

    package var input: String
    package var folder: String
    package var minSparsity: Double
    package var dtype: ElementType?

    package init(input: String, folder: String, minSparsity: Double?, dtype: ElementType?) throws {
        let minSparsity = minSparsity ?? Self.defaultMinSparsity
        guard (0...1).contains(minSparsity) else { throw FileCommandError(rule: "--min-sparsity must be in [0, 1], got \(minSparsity)") }
        if let dtype, dtype != .f32, dtype != .f64 {
            throw FileCommandError(option: "--dtype", "scipy reads only f32 and f64 sparse .npz files, got \(dtype.rawValue)")
        }
        self.input = input
        self.folder = folder
        self.minSparsity = minSparsity
        self.dtype = dtype
    }

    /// Writes the files and `index.json`; returns one entry per tensor of the input, in its order.
    package func run() throws -> SparseFolderIndex {
        try checkFolder()
        guard case let .tensors(collection) = try readFile(input) else {
            throw FileCommandError(
                input, "holds one matrix, not named tensors; --all-sparse writes the tensors of a .safetensors or np.savez .npz (convert one matrix with: sparrow convert IN OUT.npz)")
        }
        var index = SparseFolderIndex(source: input, minSparsity: minSparsity)
        var planned: [(AnySparseMatrix, String)] = []
        var usedFiles: Set<String> = [SparseFolderIndex.fileName.lowercased()]
        for name in collection.names {
            guard let tensor = collection[name] else { continue }
            switch try entry(name, tensor) {
            case let .skipped(reason):
                index.skipped[name] = reason
                index.order.append(name)
            case .written(let matrix, var entry):
                entry.file = TensorFileName.fileName(for: name)
                if usedFiles.contains(entry.file.lowercased()) { entry.file = TensorFileName.caseDistinctFileName(for: name) }
                usedFiles.insert(entry.file.lowercased())
                index.tensors[name] = entry
                index.order.append(name)
                planned.append((matrix, entry.file))
            }
        }
        if PathKind(folder) == .missing {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            } catch {
                throw FileCommandError(folder, "cannot create the folder: \(folderProblem(parentFolder) ?? "\(error.localizedDescription)")")
            }
        }
        for (matrix, file) in planned {
            try writeFile(.sparse(matrix), to: (folder as NSString).appendingPathComponent(file))
        }
        try index.write(to: (folder as NSString).appendingPathComponent(SparseFolderIndex.fileName))
        return index
    }

    enum Outcome {
        case skipped(String)
        /// The matrix to write and its index entry, whose file name the caller assigns.
        case written(AnySparseMatrix, SparseFolderIndex.Entry)
    }

    /// Whether tensor `name` is written, and as what.
    func entry(_ name: String, _ tensor: AnyDenseTensor) throws -> Outcome {
        guard tensor.shape.count == 2 else { return .skipped("not 2-D") }
        guard let element = tensor.dtype.elementType, let dense = tensor.convertedMatrix(to: Double.self) else {
            return .skipped("not floating point")
        }
        let elements = dense.storage.count
        let zeros = dense.storage.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        let sparsity = elements == 0 ? 0 : Double(zeros) / Double(elements)
        guard elements > 0, sparsity >= minSparsity else {
            return .skipped("sparsity \(String(format: "%.4f", sparsity)) is below --min-sparsity \(minSparsity)")
        }
        let csr = try naming(input) { try CSRMatrix(dense) }
        // f16 and bf16 widen to f32 exactly; scipy cannot read them from a sparse .npz.
        let out = dtype ?? (element == .f64 ? .f64 : .f32)
        let matrix = FileConversion.typed(csr, as: out)
        return .written(matrix, SparseFolderIndex.Entry(
            file: "", shape: tensor.shape, dtype: out.rawValue, nnz: csr.nnz, sparsity: sparsity))
    }

    var parentFolder: String { URL(fileURLWithPath: folder).standardizedFileURL.deletingLastPathComponent().path }

    /// The output folder must be a folder (or be creatable in one) and not the input.
    func checkFolder() throws {
        switch PathKind(folder) {
        case .file:
            throw FileCommandError(folder, "is a file; --all-sparse writes one .npz per tensor into a folder")
        case .folder:
            if let problem = folderProblem(folder) { throw FileCommandError(folder, "cannot write: \(problem)") }
        case .missing:
            if let problem = folderProblem(parentFolder) { throw FileCommandError(folder, "cannot create the folder: \(problem)") }
        }
    }
}
