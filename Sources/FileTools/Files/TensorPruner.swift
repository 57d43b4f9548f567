import Foundation
import SparseFormats
import SparseIO

/// What `sparrow prune` did to one tensor.
package struct PrunedTensor: Codable, Sendable {
    package var name: String
    package var dtype: String
    package var shape: [Int]
    /// Fraction of zeros before pruning.
    package var sparsityBefore: Double
    /// nil when the tensor was copied unchanged.
    package var report: PruningReport?
    /// Why a tensor was left unchanged.
    package var skipped: String?
}

/// A pruning request that names a tensor it cannot apply to.
package struct PruneError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// Prunes the 2-D floating-point tensors of a collection to an exact sparsity.
///
/// Tensors that are not 2-D, not floating point, not selected by `only`, not linear-layer
/// weights (``nonLinearKind(of:)``, unless `includeEmbeddings`) or, with `skipUnfit`, not
/// divisible by a structured pattern are copied unchanged and listed as skipped. Values keep
/// their dtype.
package struct TensorPruner: Sendable {
    package var pattern: PruningPattern
    package var sparsity: Double?
    /// A regular expression a tensor's name must contain a match of.
    package var only: String?
    /// Prune embeddings, normalization weights and biases too (`--include-embeddings`).
    package var includeEmbeddings: Bool
    /// Skip a tensor the pattern does not fit instead of failing the file (`--skip-unfit`).
    package var skipUnfit: Bool

    package init(
        pattern: PruningPattern, sparsity: Double?, only: String?, includeEmbeddings: Bool = false, skipUnfit: Bool = false
    ) throws {
        try pattern.validate()
        if let sparsity, !(0...1).contains(sparsity) { throw PruneError("--sparsity must be in [0, 1], got \(sparsity)") }
        if case let .nOfM(n, m) = pattern, let sparsity, abs(sparsity - (1 - Double(n) / Double(m))) > 1e-9 {
            throw PruneError("--sparsity \(sparsity) contradicts the \(n):\(m) pattern, whose sparsity is \(1 - Double(n) / Double(m))")
        }
        if case .nOfM = pattern {} else if sparsity == nil {
            throw PruneError("--sparsity is required for the \(pattern) pattern")
        }
        if let only {
            do { _ = try Regex(only) } catch { throw PruneError("--only '\(only)' is not a regular expression: \(error)") }
        }
        self.pattern = pattern
        self.sparsity = sparsity
        self.only = only
        self.includeEmbeddings = includeEmbeddings
        self.skipUnfit = skipUnfit
    }

    package func prune(_ input: TensorCollection) throws -> (TensorCollection, [PrunedTensor]) {
        let regex = try only.map { try Regex($0) }
        var output = TensorCollection(metadata: input.metadata)
        var results: [PrunedTensor] = []
        for name in input.names {
            guard let tensor = input[name] else { continue }
            let before = FileSummary.summarize(name: name, tensor).sparsity
            var entry = PrunedTensor(name: name, dtype: tensor.dtype.rawValue, shape: tensor.shape, sparsityBefore: before)
            if let regex, name.firstMatch(of: regex) == nil {
                entry.skipped = "not selected by --only"
            } else if tensor.shape.count != 2 {
                entry.skipped = "not 2-D"
            } else if tensor.dtype.elementType == nil {
                entry.skipped = "not floating point"
            } else if !includeEmbeddings, let kind = Self.nonLinearKind(of: name) {
                entry.skipped = "\(kind) \(Self.includeHint)"
            } else if let misfit = pattern.misfit(rows: tensor.shape[0], columns: tensor.shape[1]) {
                guard skipUnfit else {
                    throw PruneError("tensor '\(name)' \(tensor.shape) does not fit \(pattern): \(misfit); add --skip-unfit to skip such tensors")
                }
                entry.skipped = "does not fit \(pattern): \(misfit) (--skip-unfit)"
            }
            if entry.skipped != nil {
                output.append(name, tensor)
                results.append(entry)
                continue
            }
            do {
                let (pruned, report) = try prune(tensor)
                output.append(name, pruned)
                entry.report = report
            } catch {
                throw PruneError("tensor '\(name)' \(tensor.shape): \(error)")
            }
            results.append(entry)
        }
        return (output, results)
    }

    func prune(_ tensor: AnyDenseTensor) throws -> (AnyDenseTensor, PruningReport) {
        guard let element = tensor.dtype.elementType else { throw PruneError("dtype \(tensor.dtype.rawValue) cannot be pruned") }
        return try prune(tensor, as: element.swiftType)
    }

    func prune<T: SparseElement>(_ tensor: AnyDenseTensor, as: T.Type) throws -> (AnyDenseTensor, PruningReport) {
        guard let matrix = tensor.matrix(as: T.self) else { throw PruneError("could not read the tensor as a \(T.dtypeName) matrix") }
        let (pruned, report) = try matrix.pruned(pattern, sparsity: sparsity)
        return (AnyDenseTensor(pruned), report)
    }
}
