import ArgumentParser
import Bench
import Foundation
import KernelGen
import SparseFormats

/// `sparrow bench attention`: sparse attention over regular patterns, Sparrow against PyTorch on the GPU.
struct BenchAttentionCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Time Sparrow's sparse attention (fused and unfused, over ACSR) against SDPA with a dense mask, FlexAttention and SDPA without a mask, on the GPU.",
        discussion: """
            Per (length, head size, dtype, pattern): Q, K and V are built from the same hash on both \
            sides; every Sparrow config and every baseline is checked on sampled rows against the \
            Float64 reference (and Sparrow's fused output against FlexAttention's) before it is timed. \
            PyTorch runs scripts/torch-attention.py in one persistent Python process; FlexAttention's \
            block-mask creation and first (compiling) call are reported apart from its time.
            """)

    @Option(name: .long, parsing: .upToNextOption, help: "Patterns: window:W causal:W dilated:W:d global:G+window:W blocked:B, unions joined by '+'.")
    var pattern: [String] = ["window:256"]

    @Option(name: .long, parsing: .upToNextOption, help: "Sequence lengths.")
    var seq: [Int] = [4096]

    @Option(name: .long, help: "Batch size.")
    var batch = 1

    @Option(name: .long, help: "Heads.")
    var heads = 16

    @Option(name: .long, parsing: .upToNextOption, help: "Head sizes: 32, 64, 128.")
    var headDim: [Int] = [64]

    @Option(name: .long, parsing: .upToNextOption, help: "Element types: f16, bf16 (fp32 accumulation).")
    var dtype: [String] = ["f16"]

    @Option(name: .long, help: "Fused configs the tuner's search measures per problem (the hand model's top k of the pruned attention space).")
    var topK = 4

    @Option(name: .long, parsing: .upToNextOption, help: "Fused configs measured beside the search's (e.g. tc.w4.k64.s2, tc.w4.k64.s2.t32 split at 32 tiles, rw.w4).")
    var config: [String] = []

    @Option(name: .long, help: "The unfused path's config.")
    var unfused = "unfused.w4"

    @Option(name: .long, help: "Query rows per head checked against the Float64 reference and FlexAttention.")
    var sampleRows = 64

    @Option(name: .long, help: "Timed samples per candidate (median reported).")
    var iterations = 20

    @Option(name: .long, help: "Untimed warm-up calls per candidate.")
    var warmup = 3

    @Option(name: .long, parsing: .upToNextOption, help: "Leave out the PyTorch baselines (torch).")
    var skip: [String] = []

    @Option(name: .long, help: "Write the report as JSON.")
    var json: String?

    @Option(name: .long, help: "Write the report as a markdown table.")
    var markdown: String?

    func validate() throws {
        for p in pattern {
            do { _ = try AttentionPattern(parsing: p) } catch { throw ValidationError("--pattern \(p): \(error)") }
        }
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1") }
        for c in config + [unfused] {
            do { _ = try AttentionConfig(parsing: c) } catch { throw ValidationError("--config: \(error)") }
        }
        guard !seq.isEmpty, seq.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--seq values must be at least 1") }
        guard batch >= 1, heads >= 1 else { throw ValidationError("--batch and --heads must be at least 1") }
        guard headDim.allSatisfy(AttentionProblem.headSizes.contains) else { throw ValidationError("--head-dim values must be 32, 64 or 128") }
        guard dtype.allSatisfy({ $0 == "f16" || $0 == "bf16" }) else { throw ValidationError("--dtype values must be f16 or bf16") }
        guard iterations >= 1, warmup >= 0, sampleRows >= 1 else { throw ValidationError("--iterations and --sample-rows must be at least 1, --warmup at least 0") }
    }

    func execute() throws {
        var job = AttentionBenchJob(patterns: try pattern.map { try AttentionPattern(parsing: $0) })
        job.lengths = seq
        job.batch = batch
        job.heads = heads
        job.headSizes = headDim
        job.dtypes = dtype.compactMap(ElementType.init(rawValue:))
        job.topK = topK
        job.extraConfigs = try config.map { try AttentionConfig(parsing: $0) }
        job.unfusedConfig = try AttentionConfig(parsing: unfused)
        job.sampledRows = sampleRows
        job.iterations = iterations
        job.warmup = warmup
        job.skipBaselines = skip.contains("torch")
        job.command = (["sparrow"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        func write(_ report: AttentionBenchReport) throws {
            if let json { try (BenchJSON.encoder(pretty: true).encode(report) + Data("\n".utf8)).write(to: URL(fileURLWithPath: json)) }
            if let markdown { try Data(report.markdown().utf8).write(to: URL(fileURLWithPath: markdown)) }
        }
        let report = try job.run(note: Console.note, progress: write)
        try write(report)
        print(report.markdown())
        if !report.failures.isEmpty { throw ValidationError("checks failed: " + report.failures.joined(separator: "; ")) }
    }
}
