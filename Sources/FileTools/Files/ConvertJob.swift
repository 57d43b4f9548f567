import SparseFormats
import SparseIO

/// `sparrow convert`: read a file, convert what it holds as the options and the output's
/// extension say, and write it atomically.
package struct ConvertJob {
    package var input: String
    package var output: String
    package var conversion: FileConversion
    /// For a single dense tensor written to safetensors, its name.
    package var tensorName: String

    /// `block` is `RxC` text as the command line gives it.
    package init(
        input: String, output: String, layout: SparseLayout?, block: String?, dtype: ElementType?, tensor: String?
    ) throws {
        self.input = input
        self.output = output
        conversion = FileConversion(
            layout: layout, block: try block.map(FileConversion.parseBlock), dtype: dtype, tensor: tensor)
        tensorName = tensor ?? "weight"
    }

    /// Converts and writes; returns what was written, and for a compact output (`.spc`) what the
    /// file holds (its format and bytes per weight).
    @discardableResult
    package func run() throws -> (content: LoadedFile, compact: CompactFile.Contents?) {
        try checkOutput(output, input: input)
        var options = SparseFile.ReadOptions()
        // .smtx has no values; draw the seeded ones directly in the requested type.
        if let dtype = conversion.dtype { options.smtxElement = dtype }
        let loaded = try readFile(input, options: options)
        let content = try naming(input) { try conversion.convert(loaded, input: input, output: output) }
        if let format = conversion.layout?.compactFormat, case let .sparse(.csr(matrix)) = content {
            let written = try naming(output) { try CompactFile.write(matrix, as: format, to: output) }
            return (content, written)
        }
        try writeFile(content, to: output, tensorName: tensorName)
        return (content, nil)
    }
}
