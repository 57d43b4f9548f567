import ArgumentParser
import FileTools
import SparseFormats
import SparseIO

/// `sparrow convert IN OUT`: between dense and sparse files, as the extensions say.
struct ConvertCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert between .npy, .npz, .safetensors, .mtx and .smtx (read-only).",
        discussion: """
            The output's extension picks the result. .npy: one dense tensor. .safetensors: dense \
            tensors (a sparse matrix becomes a dense one). .mtx: a sparse matrix. .npz: a scipy sparse \
            matrix, except that named tensors (.safetensors, np.savez) stay an np.savez archive unless \
            --format, --block or --tensor asks for one matrix. Dense tensors become sparse by dropping \
            exact zeros. scipy reads only f32 and f64 sparse .npz files.
            """)

    @Argument(help: "The file to read.")
    var input: String

    @Argument(help: "The file to write; its extension picks the format.")
    var output: String

    @Option(help: "Sparse layout of the output (default: the input's; CSR for dense input).")
    var format: SparseLayout?

    @Option(help: ArgumentHelp("BSR block shape RxC (implies --format bsr).", valueName: "RxC"))
    var block: String?

    @Option(help: "Element type of the output's values (default: the input's).")
    var dtype: ElementType?

    @Option(help: "The tensor of a .safetensors or np.savez .npz to convert; for a single dense output to .safetensors, its name (default 'weight').")
    var tensor: String?

    func execute() throws {
        print(try perform(), terminator: "")
    }

    /// Converts and writes the file; returns what `execute` prints.
    func perform() throws -> String {
        let job = try ConvertJob(
            input: input, output: output, layout: format, block: block, dtype: dtype, tensor: tensor)
        return "wrote \(output): \(try job.run().writtenSummary)\n"
    }
}
