import ArgumentParser
import FileTools
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

            Tensors that are not linear-layer weights are skipped unless --include-embeddings is \
            given: \(TensorPruner.nonLinearRule). A tensor that block:RxC or N:M does not divide stops \
            the file, unless --skip-unfit skips it; the table's note column says why each skipped \
            tensor was left alone.
            """)

    @Argument(help: "The weights to prune.")
    var input: String

    @Argument(help: "Where to write the pruned weights (.safetensors, .npz, .npy, .mtx).")
    var output: String

    // Unconditional so that `--sparsity -0.1` reaches the range check instead of being read as an option.
    @Option(parsing: .unconditional, help: "Fraction of weights to zero, in [0, 1] (optional for N:M).")
    var sparsity: Double?

    @Option(help: ArgumentHelp("unstructured, block:RxC or N:M.", valueName: "pattern"))
    var pattern: String = "unstructured"

    @Option(help: ArgumentHelp("Prune only tensors whose name contains a match of this regular expression.", valueName: "regex"))
    var only: String?

    @Flag(help: "Also prune embeddings, position and token-type tables, normalization weights and biases.")
    var includeEmbeddings = false

    @Flag(help: "Skip (and list) tensors that block:RxC or N:M does not divide instead of stopping.")
    var skipUnfit = false

    @Flag(help: "Print the summary as JSON (sorted keys).")
    var json = false

    func execute() throws {
        print(try perform(), terminator: "")
    }

    /// Prunes and writes the file; returns what `execute` prints.
    func perform() throws -> String {
        let job = try PruneJob(
            input: input, output: output, pattern: pattern, sparsity: sparsity, only: only,
            includeEmbeddings: includeEmbeddings, skipUnfit: skipUnfit)
        let results = try job.run()
        return json ? try JSONText.encode(results) : PruneCommand.table(results).render()
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
