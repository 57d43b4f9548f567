import Foundation
import SparseFormats
import SparseIO

extension FileProblems {
    /// One tensor or matrix of a file, named `file/tensor` (or `file` for a one-matrix file).
    struct Entry {
        enum Content {
            case dense(AnyDenseTensor)
            case sparse(AnySparseMatrix)
        }

        var name: String
        var content: Content

        /// The matrix as Float CSR when it is 2-D, floating point, not empty and has at least
        /// `minSparsity` zeros; else why not.
        func check(minSparsity: Double) -> Result<CSRMatrix<Float>, SkipReason> {
            switch content {
            case .dense(let tensor):
                guard tensor.shape.count == 2 else { return .failure(.notTwoD(tensor.shape)) }
                guard [.f64, .f32, .f16, .bf16].contains(tensor.dtype) else { return .failure(.notFloating(tensor.dtype.rawValue)) }
                guard let dense = tensor.convertedMatrix(to: Float.self), !dense.storage.isEmpty else { return .failure(.empty) }
                // Counted before building CSR, so dense tensors cost no copy.
                let zeros = dense.storage.reduce(into: 0) { count, value in if value == 0 { count += 1 } }
                let sparsity = Double(zeros) / Double(dense.storage.count)
                guard sparsity >= minSparsity else { return .failure(.tooDense(sparsity, minSparsity)) }
                guard zeros < dense.storage.count else { return .failure(.allZero) }
                do { return .success(try CSRMatrix(dense)) } catch { return .failure(.unusable(error.description)) }
            case .sparse(let matrix):
                let csr: CSRMatrix<Float>
                switch matrix {
                case .csr(let m): csr = m.converted(to: Float.self)
                case .bsr(let m):
                    do { csr = try m.converted(to: Float.self).csr() } catch { return .failure(.unusable(error.description)) }
                }
                guard csr.rows > 0, csr.columns > 0 else { return .failure(.empty) }
                guard csr.sparsity >= minSparsity else { return .failure(.tooDense(csr.sparsity, minSparsity)) }
                guard csr.nnz > 0 else { return .failure(.allZero) }
                return .success(csr)
            }
        }
    }

    /// Why a tensor is not benchmarked.
    enum SkipReason: Error, CustomStringConvertible {
        case notTwoD([Int])
        case notFloating(String)
        case empty
        case allZero
        case tooDense(Double, Double)
        case unusable(String)

        var description: String {
            switch self {
            case .notTwoD(let shape): "\(shape.count)-D \(shape)"
            case .notFloating(let dtype): "\(dtype), not floating point"
            case .empty: "empty"
            case .allZero: "all zeros"
            case let .tooDense(sparsity, rule): String(format: "%.1f%% zeros, below %g%%", sparsity * 100, rule * 100)
            case .unusable(let why): why
            }
        }
    }

    /// The tensors or matrix of a read file, in file order.
    static func entries(_ loaded: LoadedFile, file: String) -> [Entry] {
        switch loaded {
        case .dense(let tensor): [Entry(name: file, content: .dense(tensor))]
        case .sparse(let matrix): [Entry(name: file, content: .sparse(matrix))]
        case .tensors(let collection):
            collection.names.compactMap { name in collection[name].map { Entry(name: "\(file)/\(name)", content: .dense($0)) } }
        }
    }
}
