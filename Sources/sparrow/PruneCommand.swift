import ArgumentParser
import Runtime
import SparseFormats
import SparseIO

/// `sparrow prune IN OUT`: magnitude-prune the 2-D weights of a file to an exact sparsity.
struct PruneCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Magnitude-prune the 2-D tensors of a .safetensors, np.savez .npz or .npy file.",
        discussion: """
            Every selected 2-D floating-point tensor loses exactly round(S x elements) weights \
            (unstructured), round(S x blocks) blocks (block:RxC) or the M-N smallest of every M \
            consecutive weights of a row (N:M, sparsity 1 - N/M). Other tensors are copied unchanged. \
            A single .npy written to .npz or .mtx becomes a CSR matrix of its nonzeros.
            """)

    @Argument(help: "The weights to prune.")
    var input: String

    @Argument(help: "Where to write the pruned weights (.safetensors, .npz, .npy, .mtx).")
    var output: String

    @Option(help: "Fraction of weights to zero, in [0, 1] (optional for N:M).")
    var sparsity: Double?

    @Option(help: ArgumentHelp("unstructured, block:RxC or N:M.", valueName: "pattern"))
    var pattern: String = "unstructured"

    @Option(help: ArgumentHelp("Prune only tensors whose name contains a match of this regular expression.", valueName: "regex"))
    var only: String?

    @Flag(help: "Print the summary as JSON (sorted keys).")
    var json = false

    func execute() throws {
        print(try perform(), terminator: "")
    }

    /// Prunes and writes the file; returns what `execute` prints.
    func perform() throws -> String {
        try checkOutput(output, input: input)
        let parsed: PruningPattern
        do { parsed = try PruningPattern(parsing: pattern) } catch { throw FileCommandError(option: "--pattern", error.description) }
        let pruner = try TensorPruner(pattern: parsed, sparsity: sparsity, only: only)

        let collection: TensorCollection, single: Bool
        switch try SparseFile.read(input) {
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
            throw FileCommandError(input, "--only '\(only)' selects no prunable tensor among its \(collection.count)")
        }
        try SparseFile.write(try content(pruned, single: single), to: output)
        return json ? try JSONText.encode(results) : PruneCommand.table(results).render()
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

    static func table(_ results: [PrunedTensor]) -> TextTable {
        var table = TextTable(
            headers: ["name", "shape", "before", "after", "kept", "note"],
            alignments: [.left, .left, .right, .right, .right, .left])
        var total = 0, kept = 0, zerosBefore = 0.0, zerosAfter = 0.0
        for r in results {
            let elements = r.shape.reduce(1, *)
            total += elements
            zerosBefore += r.sparsityBefore * Double(elements)
            if let report = r.report {
                kept += report.kept
                zerosAfter += Double(report.pruned)
                table.append([
                    r.name, TextFormat.shape(r.shape), TextFormat.fraction(r.sparsityBefore),
                    TextFormat.fraction(report.achieved), String(report.kept), report.pattern.description,
                ])
            } else {
                kept += elements
                zerosAfter += r.sparsityBefore * Double(elements)
                table.append([
                    r.name, TextFormat.shape(r.shape), TextFormat.fraction(r.sparsityBefore),
                    TextFormat.fraction(r.sparsityBefore), String(elements), "skipped: \(r.skipped ?? "")",
                ])
            }
        }
        let fraction = { (zeros: Double) in total == 0 ? "0.0000" : TextFormat.fraction(zeros / Double(total)) }
        table.append(["total (\(results.count) tensors)", "", fraction(zerosBefore), fraction(zerosAfter), String(kept), ""])
        return table
    }
}
