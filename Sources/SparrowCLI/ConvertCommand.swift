import ArgumentParser
import FileTools
import SparseFormats
import SparseIO

/// `sparrow convert IN OUT`: between dense and sparse files, as the extensions say.
struct ConvertCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert between .npy, .npz, .safetensors, .mtx, .smtx (read-only) and .spc (Sparrow's compact formats).",
        discussion: """
            The output's extension picks the result. .npy: one dense tensor. .safetensors: dense \
            tensors (a sparse matrix becomes a dense one). .mtx: a sparse matrix. .npz: a scipy sparse \
            matrix, except that named tensors (.safetensors, np.savez) stay an np.savez archive unless \
            --format, --block or --tensor asks for one matrix. Dense tensors become sparse by dropping \
            exact zeros. scipy reads only f32 and f64 sparse .npz files. .spc: one matrix in a compact \
            format, --format csr16 (16-bit column indices), delta (4-bit column deltas), bitmap (8x8 \
            tiles with 64-bit masks) or 2:4 (2:4 structured sparsity for the sparse tensor cores: at most \
            2 nonzeros in every 4 consecutive columns of a row, e.g. after `sparrow prune --pattern 2:4`) \
            or fcoo (each nonzero's value and its 1-byte place in a 16x16 block's tensor-core fragment: \
            fewer bytes than bitmap above about 0.83 sparsity); the layout is documented in SparseIO's CompactFile.swift.

            With --all-sparse, OUTPUT is a folder (created if missing): every 2-D floating-point \
            tensor of a .safetensors or np.savez .npz with at least --min-sparsity zeros (default \
            \(SparseFolderJob.defaultMinSparsity)) becomes a CSR .npz there (f16 and bf16 as f32), named after the tensor: letters, \
            digits, '.', '_' and '-' kept, every other byte as %XX, a leading '.' as %2E, names \
            over 200 bytes cut with a ~hash. index.json maps each tensor name to its file, shape, \
            dtype, nnz and sparsity, and lists the skipped tensors with the reason.
            """)

    @Argument(help: "The file to read.")
    var input: String

    @Argument(help: "The file to write; its extension picks the format (with --all-sparse: a folder).")
    var output: String

    @Option(help: "Sparse layout of the output: csr, bsr, or for .spc csr16, delta, bitmap, 2:4 or fcoo (default: the input's; CSR for dense input).")
    var format: SparseLayout?

    @Option(help: ArgumentHelp("BSR block shape RxC (implies --format bsr).", valueName: "RxC"))
    var block: String?

    @Option(help: "Element type of the output's values (default: the input's).")
    var dtype: ElementType?

    @Option(help: "The tensor of a .safetensors or np.savez .npz to convert; for a single dense output to .safetensors, its name (default 'weight').")
    var tensor: String?

    @Flag(help: "Write every sparse 2-D tensor as a CSR .npz into the folder OUTPUT, with an index.json.")
    var allSparse = false

    // Unconditional so that a negative value reaches the range check instead of being read as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "With --all-sparse: the least fraction of zeros a tensor needs to be written, in [0, 1] (default \(SparseFolderJob.defaultMinSparsity)).", valueName: "fraction"))
    var minSparsity: Double?

    func execute() throws {
        print(try perform(), terminator: "")
    }

    /// Converts and writes the file; returns what `execute` prints.
    func perform() throws -> String {
        if allSparse { return try performAllSparse() }
        if minSparsity != nil { throw FileCommandError(option: "--min-sparsity", "applies with --all-sparse") }
        let job = try ConvertJob(
            input: input, output: output, layout: format, block: block, dtype: dtype, tensor: tensor)
        let (content, compact) = try job.run()
        guard let compact else { return "wrote \(output): \(content.writtenSummary)\n" }
        let perWeight = TextFormat.fixed(compact.bytesPerWeight, decimals: 3)
        return "wrote \(output): \(compact.format) \(compact.elementType.rawValue) \(compact.rows) x \(compact.columns), "
            + "\(compact.nonzeros) nonzeros, \(compact.storageBytes) bytes, \(perWeight) B per weight (dense fp16: 2)\n"
    }
}
