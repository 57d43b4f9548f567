import ArgumentParser
import Bench
import Foundation
import Models
import SparseFormats

/// `sparrow bench model`: a whole encoder pruned in memory, Sparrow against ONNX Runtime on the CPU.
struct BenchModelCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Prune a model folder's linear layers in memory and time Sparrow's encoder against ONNX Runtime (dense, same weights) on the CPU.",
        discussion: """
            For each sparsity and batch: prunes with sparrow prune's logic (magnitude, the given pattern), \
            checks Sparrow's embeddings against its own dense path and ONNX Runtime's (cosine >= 0.9999), \
            then times token ids to pooled embeddings (median of --iterations runs). Tokenising is \
            timed apart, and Sparrow's time is split by layer kind from separately profiled passes. \
            ONNX Runtime runs scripts/onnx-encoder.py in one Python process with as many intra-op \
            threads as Sparrow uses and ORT_ENABLE_ALL; it is skipped, with the reason, when \
            onnx or onnxruntime is missing.
            """)

    @Argument(help: "A sentence-transformers model folder (config.json, model.safetensors, tokenizer.json).")
    var model: String

    @Option(name: .long, parsing: .upToNextOption, help: "Texts per forward pass.")
    var batch: [Int] = [1, 8]

    @Option(name: .long, help: "Tokens per text.")
    var seq = 128

    @Option(name: .long, parsing: .upToNextOption, help: "Fractions of each linear weight to zero (ignored for N:M).")
    var sparsity: [Double] = [0.5, 0.7, 0.9]

    @Option(name: .long, help: "unstructured, block:RxC or N:M.")
    var pattern = "unstructured"

    @Option(name: .long, help: "cpu (against ONNX Runtime) or gpu (against PyTorch eager and torch.compile reduce-overhead).")
    var device = "cpu"

    @Option(name: .long, parsing: .upToNextOption, help: "GPU element types: f32, f16 (fp32 accumulation).")
    var dtype: [String] = ["f16"]

    @Option(name: .long, help: "measure (time each linear layer dense and sparse at each batch shape, keep the faster) or rule (sparse from 70% zeros on).")
    var plan = "measure"

    @Flag(name: .long, help: "Print each measured plan (layer, shape, tokens, sparsity, kernel, dense and sparse ms) to standard error.")
    var showPlan = false

    @Option(name: .long, parsing: .upToNextOption, help: "Leave out baselines by name (onnxruntime).")
    var skip: [String] = []

    @Option(name: .long, help: "Timed runs per candidate (median reported).")
    var iterations = 20

    @Option(name: .long, help: "Untimed warm-up runs per candidate.")
    var warmup = 3

    @Option(name: .long, help: "Write the report as JSON.")
    var json: String?

    @Option(name: .long, help: "Write the report as a markdown table.")
    var markdown: String?

    func validate() throws {
        guard ["measure", "rule"].contains(plan) else { throw ValidationError("--plan must be measure or rule") }
        guard device == "cpu" || device == "gpu" else { throw ValidationError("--device must be cpu or gpu") }
        guard dtype.allSatisfy({ $0 == "f32" || $0 == "f16" }) else { throw ValidationError("--dtype values must be f32 or f16") }
        guard !batch.isEmpty, batch.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--batch values must be at least 1") }
        guard seq >= 2 else { throw ValidationError("--seq must be at least 2 ([CLS] and [SEP])") }
        guard sparsity.allSatisfy({ (0...1).contains($0) }) else { throw ValidationError("--sparsity values must be in [0, 1]") }
        guard iterations >= 1, warmup >= 0 else { throw ValidationError("--iterations must be at least 1 and --warmup at least 0") }
        do { try PruningPattern(parsing: pattern).validate() } catch { throw ValidationError("--pattern: \(error)") }
    }

    func execute() throws {
        if device == "gpu" { return try executeOnGPU() }
        var job = ModelBenchJob(model: model)
        job.batches = batch
        job.sequenceLength = seq
        job.sparsities = sparsity
        job.pattern = try PruningPattern(parsing: pattern)
        job.iterations = iterations
        job.warmup = warmup
        job.measurePlan = plan == "measure"
        job.showPlan = showPlan
        job.skipBaseline = skip.contains("onnxruntime")
        job.command = (["sparrow"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let report = try job.run(note: Console.note)
        let text = report.markdown()
        if let json { try (BenchJSON.encoder(pretty: true).encode(report) + Data("\n".utf8)).write(to: URL(fileURLWithPath: json)) }
        if let markdown { try Data(text.utf8).write(to: URL(fileURLWithPath: markdown)) }
        print(text)
    }
}

extension BenchModelCommand {
    func executeOnGPU() throws {
        var job = GPUModelBenchJob(model: model)
        job.batches = batch
        job.sequenceLength = seq
        job.sparsities = sparsity
        job.pattern = try PruningPattern(parsing: pattern)
        job.dtypes = dtype.compactMap(ElementType.init(rawValue:))
        job.iterations = iterations
        job.warmup = warmup
        job.showPlan = showPlan
        job.skipBaseline = skip.contains("torch")
        job.command = (["sparrow"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        func write(_ report: GPUModelBenchReport) throws {
            if let json { try (BenchJSON.encoder(pretty: true).encode(report) + Data("\n".utf8)).write(to: URL(fileURLWithPath: json)) }
            if let markdown { try Data(report.markdown().utf8).write(to: URL(fileURLWithPath: markdown)) }
        }
        let report = try job.run(note: Console.note, progress: write)
        try write(report)
        print(report.markdown())
        if !report.failures.isEmpty { throw ValidationError("checks against PyTorch failed: " + report.failures.joined(separator: "; ")) }
    }
}
