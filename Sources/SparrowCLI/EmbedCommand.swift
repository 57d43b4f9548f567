import ArgumentParser
import SparseFormats
import Foundation
import Models

extension EmbedJob.Device: ExpressibleByArgument {}
extension EmbedJob.Linear: ExpressibleByArgument {}

/// `sparrow embed MODEL_DIR [TEXT ...]`: sentence embeddings from a model folder.
struct EmbedCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Sentence embeddings from a sentence-transformers BERT model folder (all-MiniLM-L6-v2 and the like).",
        discussion: """
            Reads config.json, model.safetensors, tokenizer.json and the pooling settings of MODEL_DIR \
            (scripts/get-model.sh fetches all-MiniLM-L6-v2), tokenizes each text as Hugging Face \
            tokenizers does (truncated at sentence_bert_config.json's max_seq_length), runs the encoder \
            in fp32 and prints one mean-pooled, L2-normalised embedding per line. Linear layers with at \
            least 70% of their weights zero (a model pruned with sparrow prune) run on Sparrow's sparse \
            kernels, the others on dense GEMM (--linear forces one or the other). Texts come from the arguments, else one per line from \
            standard input. --device gpu runs the GPU encoder (one CUDA graph per batch shape, \
            each linear layer on Sparrow's SpMM or cuBLAS as measured there; --dtype f32 or f16); auto runs on the CPU. \
            --attention restricts each token's attention to a regular pattern (sliding window, dilated, global + \
            window, blocked) on the CPU's fused sparse kernel, for long inputs; BERT checkpoints are trained with \
            full attention, so their embeddings change.
            """)

    @Argument(help: ArgumentHelp("The model folder.", valueName: "model-dir"))
    var model: String

    @Argument(help: "Texts to embed (default: one per line from standard input).")
    var texts: [String] = []

    @Flag(help: "Print the embeddings, the texts and the plan as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Also write the embeddings to this .npy file (float32, texts x dimension).", valueName: "file"))
    var npy: String?

    @Option(help: "Texts per forward pass.")
    var batchSize = 32

    @Option(help: "cpu, gpu, or auto (the CPU).")
    var device: EmbedJob.Device = .auto

    @Option(help: "The GPU path's element type: f32, or f16 (fp32 accumulation).")
    var dtype = "f32"

    @Option(help: "Linear layers' kernels: auto (sparse from 70% zeros on), measure (time dense and sparse per layer here, keep the faster), dense or sparse.")
    var linear: EmbedJob.Linear = .auto

    @Option(help: ArgumentHelp("A measured plan (JSON): used without measuring when the file exists, else measured and saved there.", valueName: "file"))
    var planFile: String?

    @Flag(help: "Print each linear layer's shape, sparsity and kernel to standard error.")
    var showPlan = false

    @Option(help: ArgumentHelp(
        "Attend only to a pattern's keys, on the CPU's fused sparse attention: window:W, causal:W, dilated:W:d, global:G+window:W, blocked:B, joined with +.",
        valueName: "pattern"))
    var attention: String?

    func execute() throws {
        let input = texts.isEmpty ? EmbedJob.lines(FileHandle.standardInput.readDataToEndOfFile()) : texts
        var job = EmbedJob(model: model, texts: input, batchSize: batchSize, device: device, npy: npy, linear: linear, planFile: planFile)
        guard let type = ElementType(rawValue: dtype), type == .f32 || type == .f16 else { throw ValidationError("--dtype must be f32 or f16") }
        job.gpuType = type
        if let attention {
            do { job.attention = try AttentionPattern(parsing: attention) } catch { throw ValidationError("--attention \(attention): \(error)") }
        }
        let result = try job.run()
        if showPlan {
            if let measured = result.measured { Console.note(measured.table) }
            Console.note(String(Self.plan(result).render().dropLast()))
        }
        if json {
            print(try JSONText.encode(JSONResult(result, texts: input)), terminator: "")
        } else if let npy {
            print("\(result.embeddings.count) embeddings of \(result.dimension) floats written to \(npy)")
        } else {
            for embedding in result.embeddings { print(embedding.map { "\($0)" }.joined(separator: " ")) }
        }
    }

    static func plan(_ result: EmbedJob.Result) -> TextTable {
        var table = TextTable(headers: ["layer", "shape", "sparsity", "kernel"], alignments: [.left, .left, .right, .left])
        for layer in result.layers {
            let kernel = layer.block.map { $0 == [1, 1] ? "sparse (CSR)" : "sparse (BSR \(TextFormat.shape($0)))" } ?? layer.kernel.description
            table.append([layer.name, TextFormat.shape(layer.shape), TextFormat.fraction(layer.sparsity), kernel])
        }
        return table
    }

    /// `--json`: the texts beside their embeddings.
    struct JSONResult: Encodable {
        var model: String
        var dimension: Int
        var loadSeconds: Double
        var embedSeconds: Double
        var layers: [EmbedJob.LayerChoice]
        var items: [Item]

        struct Item: Encodable {
            var text: String
            var embedding: [Float]
        }

        init(_ result: EmbedJob.Result, texts: [String]) {
            model = result.model
            dimension = result.dimension
            loadSeconds = result.loadSeconds
            embedSeconds = result.embedSeconds
            layers = result.layers
            items = zip(texts, result.embeddings).map { Item(text: $0, embedding: $1) }
        }
    }
}
