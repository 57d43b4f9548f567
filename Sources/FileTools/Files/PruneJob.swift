import SparseFormats
import SparseIO

/// `sparrow prune`: magnitude-prune the selected 2-D tensors of a file and write the result.
///
/// Reads a safetensors file, an `np.savez` archive or one `.npy`; a lone `.npy` written to
/// `.npz` or `.mtx` becomes a CSR matrix of its nonzeros, everything else stays dense.
package struct PruneJob: Sendable {
    package var input: String
    package var output: String
    package var pruner: TensorPruner
    /// The `--only` expression, for the error when it selects nothing.
    package var only: String?

    /// `pattern` is the command line's text (`unstructured`, `block:RxC`, `N:M`).
    package init(
        input: String, output: String, pattern: String, sparsity: Double?, only: String?,
        includeEmbeddings: Bool = false, skipUnfit: Bool = false
    ) throws {
        self.input = input
        self.output = output
        self.only = only
        let parsed: PruningPattern
        do { parsed = try PruningPattern(parsing: pattern) } catch { throw FileCommandError(option: "--pattern", error.description) }
        pruner = try TensorPruner(
            pattern: parsed, sparsity: sparsity, only: only, includeEmbeddings: includeEmbeddings, skipUnfit: skipUnfit)
    }

    /// Prunes and writes; returns one entry per tensor of the input, in its order.
    package func run() throws -> [PrunedTensor] {
        try checkOutput(output, input: input)
        let collection: TensorCollection, single: Bool
        switch try readFile(input) {
        case let .tensors(tensors):
            (collection, single) = (tensors, false)
        case let .dense(tensor):
            var tensors = TensorCollection()
            tensors.append("weight", tensor)
            (collection, single) = (tensors, true)
        case .sparse:
            throw FileCommandError(input, "holds a sparse matrix; prune takes dense weights (.safetensors, .npy, np.savez .npz)")
        }
        let (pruned, results) = try naming(input) { try pruner.prune(collection) }
        if let only, !results.contains(where: { $0.report != nil }) {
            let nonLinear = results.filter { $0.skipped?.hasSuffix(TensorPruner.includeHint) == true }.count
            let hint = nonLinear > 0 ? " (\(nonLinear) skipped as embeddings, norms or biases; add --include-embeddings)" : ""
            throw FileCommandError(input, "--only '\(only)' selects no prunable tensor among its \(collection.count)\(hint)")
        }
        try writeFile(try content(pruned, single: single), to: output)
        return results
    }

    /// A lone matrix goes to .npz and .mtx as CSR; everything else stays dense.
    func content(_ pruned: TensorCollection, single: Bool) throws -> LoadedFile {
        guard single, let tensor = pruned["weight"] else { return .tensors(pruned) }
        switch try SparseFile.Format(path: output) {
        case .npz, .mtx:
            let conversion = FileConversion(layout: .csr, block: nil, dtype: nil, tensor: nil)
            return try naming(output) { try conversion.convert(.dense(tensor), input: input, output: output) }
        default:
            return .dense(tensor)
        }
    }
}
