import SparseFormats
import SparseIO

/// A sparse weight matrix W (N x K: output features x input features) in CSR with Float values,
/// read from a file or pruned from dense weights.
public struct SparseWeights: Sendable, Hashable {
    /// The matrix, canonical (sorted, unique column indices per row).
    public let matrix: CSRMatrix<Float>
    /// Where it came from: `file.npz`, `model.safetensors:name`, or `pruned`.
    public let source: String

    /// Wraps a CSR matrix.
    public init(_ matrix: CSRMatrix<Float>, source: String = "matrix") {
        self.matrix = matrix
        self.source = source
    }

    /// Rows (N, output features).
    public var rows: Int { matrix.rows }
    /// Columns (K, input features).
    public var columns: Int { matrix.columns }
    /// Stored values.
    public var nnz: Int { matrix.nnz }
    /// The fraction of W that is not stored.
    public var sparsity: Double { matrix.sparsity }

    /// Reads W from a file: a sparse matrix (scipy `.npz` CSR/BSR/COO/CSC, `.mtx`, DLMC `.smtx`)
    /// as it is, or a dense 2-D tensor (`.npy`, or `tensor` of a `.safetensors` / `np.savez`
    /// archive; the archive's only 2-D tensor when `tensor` is nil) without its zeros. Values
    /// are converted to Float.
    /// - Throws: ``SparseIOError`` naming the file and the defect, or ``WeightsError`` when the
    ///   file holds no such matrix.
    public static func load(_ path: String, tensor: String? = nil) throws -> SparseWeights {
        switch try SparseFile.read(path) {
        case let .sparse(matrix):
            guard tensor == nil else { throw WeightsError("\(path): holds one sparse matrix, not named tensors; drop --tensor") }
            switch matrix {
            case let .csr(csr): return SparseWeights(csr.converted(to: Float.self), source: path)
            case let .bsr(bsr):
                // Blocks become their stored positions (explicit zeros inside blocks dropped).
                return SparseWeights(try bsr.converted(to: Float.self).csr(), source: path)
            }
        case let .dense(dense):
            guard tensor == nil else { throw WeightsError("\(path): holds one dense tensor, not named tensors; drop --tensor") }
            return SparseWeights(try csr(of: dense, named: path), source: path)
        case let .tensors(collection):
            let twoD = collection.names.filter { collection[$0]?.shape.count == 2 }
            let name: String
            if let tensor {
                guard collection[tensor] != nil else {
                    throw WeightsError("\(path): no tensor '\(tensor)' (2-D tensors: \(twoD.prefix(8).joined(separator: ", ")))")
                }
                name = tensor
            } else {
                guard twoD.count == 1, let only = twoD.first else {
                    throw WeightsError("\(path): \(twoD.count) 2-D tensors; name one (\(twoD.prefix(8).joined(separator: ", ")))")
                }
                name = only
            }
            guard let dense = collection[name] else { throw WeightsError("\(path): no tensor '\(name)'") }
            return SparseWeights(try csr(of: dense, named: "\(path):\(name)"), source: "\(path):\(name)")
        }
    }

    /// Prunes dense weights to exactly `sparsity` by magnitude (`pattern`: unstructured,
    /// `block:RxC` or `N:M`) and keeps what is left as W.
    public static func pruning(
        _ dense: DenseMatrix<Float>, sparsity: Double?, pattern: PruningPattern = .unstructured
    ) throws -> (weights: SparseWeights, report: PruningReport) {
        let (matrix, report) = try dense.prunedCSR(pattern, sparsity: sparsity)
        return (SparseWeights(matrix, source: "pruned \(pattern)"), report)
    }

    private static func csr(of tensor: AnyDenseTensor, named name: String) throws -> CSRMatrix<Float> {
        guard tensor.shape.count == 2, let dense = tensor.convertedMatrix(to: Float.self) else {
            throw WeightsError("\(name): a \(tensor.shape.count)-D \(tensor.dtype.rawValue) tensor is not a floating-point weight matrix")
        }
        return try CSRMatrix(dense)
    }
}

/// A file that holds no usable weight matrix, or a request that names none.
public struct WeightsError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
