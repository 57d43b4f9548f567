import FileTools
import SparseFormats

extension ConvertCommand {
    /// `convert MODEL OUTDIR --all-sparse`: writes the folder; returns the table of what was
    /// written and what was skipped, and where the index is.
    func performAllSparse() throws -> String {
        guard format != .bsr, block == nil, tensor == nil else {
            throw FileCommandError(option: "--all-sparse", "writes every sparse tensor as CSR; --format bsr, --block and --tensor apply to one output file")
        }
        let index = try SparseFolderJob(input: input, folder: output, minSparsity: minSparsity, dtype: dtype).run()
        return ConvertCommand.table(index).render()
            + "wrote \(index.tensors.count) of \(index.order.count) tensors to \(output), listed in \(SparseFolderIndex.fileName)\n"
    }

    static func table(_ index: SparseFolderIndex) -> TextTable {
        var table = TextTable(
            headers: ["name", "shape", "dtype", "sparsity", "nnz", "file"],
            alignments: [.left, .left, .left, .right, .right, .left])
        for name in index.order {
            if let entry = index.tensors[name] {
                table.append([
                    name, TextFormat.shape(entry.shape), entry.dtype, TextFormat.fraction(entry.sparsity), String(entry.nnz), entry.file,
                ])
            } else {
                table.append([name, "", "", "", "", "skipped: \(index.skipped[name] ?? "")"])
            }
        }
        return table
    }
}
