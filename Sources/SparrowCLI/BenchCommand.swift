import ArgumentParser
import Foundation
import Bench
import CPUKernels
import CUDA
import KernelGen
import Runtime
import SparseFormats
import SparseIO

/// `sparrow bench`: benchmarks with the baselines measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark Sparrow's kernels against the baselines, in the same run.",
        subcommands: [BenchSpMMCommand.self, BenchModelCommand.self, BenchAccuracyCommand.self, BenchAttentionCommand.self])
}

/// `sparrow bench spmm`: Y = W X on a suite, every output checked before it is timed.
struct BenchSpMMCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "spmm",
        abstract: "Time Sparrow's SpMM and the baselines (cuSPARSE, cuBLAS; OpenBLAS, scipy) on a suite of sparse matrices or on your own weights.",
        discussion: """
            Output paths (--json, --markdown, --svg) are checked before any work. Each finished problem \
            is appended, as it comes, to a partial results file: FILE.partial.jsonl beside --json FILE \
            (removed once the report is written), else \
            $SPARROW_CACHE_DIR/bench/spmm-<date>-<pid>.partial.jsonl (default ~/.cache/sparrow). \
            Ctrl-C ends the run with status 130 and one line saying how many problems finished and where.

            To resume, rerun the same command with --resume and that file (or an earlier --json \
            report): problems it holds (same suite, problem, n, dtype and device) are not measured \
            again, and the report merges them with the new ones.

            The table marks a time whose runs spread widely (median over minimum above 1.5) with `~`, \
            and a speedup resting on one; a floor fraction above 100% gets a `!` (the ceiling is an \
            estimate). The report records the 1-minute load average at start and end and warns when \
            it is above half the cores (plus one at the end, for the benchmark itself).
            """)

    @Argument(help: ArgumentHelp(
        "Your own weights: .safetensors, .npz, .npy, .mtx or .smtx files, or folders of them (instead of --suite).",
        discussion: "Benchmarked: \(FileProblems(paths: []).rule), at n = "
            + FileProblems.defaultWidths.map(String.init).joined(separator: ", ") + " (or -n); the others are listed as skipped."))
    var files: [String] = []

    @Option(name: .long, help: "dlmc-rn50 (the default), dlmc-transformer, synthetic, llm or bert-base.")
    var suite: BenchSuiteName?

    @Option(name: .long, help: "FILE arguments: benchmark a 2-D tensor only if at least this fraction of it is zero (default \(FileProblems.defaultMinSparsity)).")
    var minSparsity: Double?

    @Option(name: .long, parsing: .upToNextOption, help: "Sparsities to take (DLMC folders: 0.5 0.7 0.8 0.9 0.95 0.98).")
    var sparsity: [Double] = []

    @Option(name: .long, help: ArgumentHelp(
        "llm and bert-base suites: how the seeded weights are pruned: unstructured (default), N:M (2:4: the sparsity is 1 - N/M, and cuSPARSELt runs as a baseline) or block:RxC.",
        valueName: "pattern"))
    var pattern: String = "unstructured"

    @Option(name: [.customShort("n"), .long], parsing: .upToNextOption,
            help: "Dense widths n (columns of X); `layer` means each rn50 layer's own spatial size. Default: the suite's.")
    var n: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Leave out candidates by name (e.g. naive-csr scipy).")
    var skip: [String] = []

    var widths: [Int] { n.compactMap { Int($0) } }

    @Option(name: .long, help: "f32, f16 or bf16 (f16 and bf16 on a GPU).")
    var dtype: ElementType = .f32

    @Option(name: .long, help: "auto, gpu or cpu.")
    var device: DeviceRequest = .auto

    @Option(name: .long, help: "Folder with dlmc.tar.gz, the dlmc-*.tar.xz files or an unpacked dlmc/ folder; an error if it has none (default: $SPARROW_DATA, ../shared/data, .device).")
    var data: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Synthetic suite: N = K sizes (default 4096).")
    var size: [Int] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Synthetic suite: uniform and/or powerlaw row lengths.")
    var distribution: [SyntheticMatrices.RowDistribution] = []

    @Option(name: .long, help: "At most this many matrices per sparsity.")
    var limit: Int?

    @Option(name: .long, help: "Only matrices whose name contains this text.")
    var filter: String?

    @Option(name: .long, help: "DLMC: this many matrices per sparsity, spread evenly over the name order (before --limit).")
    var sample: Int?

    @OptionGroup var specialise: SpecialiseOption

    @Option(name: .customLong("cpu-row-order"), parsing: .upToNextOption, help: ArgumentHelp(
        "CPU: also time Sparrow's CSR plan with its rows in these orders (locality, by_length_desc), in this order after the plan in row order; list identity too to put that plan elsewhere (by_length_desc identity: the A/B the other way round)."))
    var cpuRowOrder: [RowOrdering] = []

    @Flag(name: .long, help: "Time every valid kernel configuration of each problem (for study; slow).")
    var sweep = false

    @Option(name: .long, help: "Configurations the default simple sweep times per problem.")
    var sweepLimit = 16

    @Option(name: .long, parsing: .upToNextOption,
            help: "Also time these kernel configurations (ids such as r8.t32.c256.v4.k64.db0) where valid.")
    var config: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "GPU: use the tuned configs of this tuning database (sparrow tune) where it holds one for a problem (default: $XDG_CACHE_HOME/sparrow/tuning.sqlite when it exists).",
        valueName: "file"))
    var db: String?

    @Flag(name: .long, help: "GPU: ignore tuned configs; Sparrow's kernel searches on every problem.")
    var noTuned = false

    @Option(name: .long, help: ArgumentHelp(
        "GPU: wait at most this long for another sparrow process timing on the same GPU (default: wait).",
        valueName: "seconds"))
    var lockTimeout: Double?

    @Flag(name: .long, inversion: .prefixedEnableDisable, help: ArgumentHelp(
        "GPU: time cold, every candidate rotating among device copies of W that together exceed L2 (default: on for the llm suite, off otherwise)."))
    var coldCache: Bool?

    @Option(name: .long, help: "Timed runs per candidate (median reported).")
    var iterations = 20

    @Option(name: .long, help: "Untimed warm-up runs per candidate.")
    var warmup = 5

    @Option(name: .long, help: "Write the full report as JSON (finished problems go to FILE.partial.jsonl meanwhile).")
    var json: String?

    @Option(name: .long, help: "Write the report as a markdown table.")
    var markdown: String?

    @Option(name: .long, help: "Write an SVG chart of speedup against sparsity.")
    var svg: String?

    @Option(name: .long, help: ArgumentHelp(
        "Skip the problems this partial results file (.partial.jsonl) or earlier --json report already holds, and merge them into the report.",
        valueName: "file"))
    var resume: String?

    func validate() throws {
        guard iterations >= 20 || ProcessInfo.processInfo.environment["SPARROW_ALLOW_FEW_ITERATIONS"] != nil else {
            throw ValidationError("--iterations must be at least 20 (the benchmark protocol's median of at least 20)")
        }
        guard sparsity.allSatisfy({ (0...1).contains($0) }) else { throw ValidationError("--sparsity values must be in [0, 1]") }
        guard files.isEmpty || suite == nil else {
            throw ValidationError("give FILE arguments or --suite, not both (files are benchmarked as their own suite, \"files\")")
        }
        guard n.allSatisfy({ $0 == "layer" || (Int($0) ?? 0) > 0 }) else {
            throw ValidationError("-n values must be positive integers or `layer`")
        }
        guard sample.map({ $0 >= 1 }) ?? true else { throw ValidationError("--sample must be at least 1") }
        guard lockTimeout.map({ $0 >= 0 }) ?? true else { throw ValidationError("--lock-timeout must be zero or more seconds") }
        guard db == nil || !noTuned else { throw ValidationError("give --db or --no-tuned, not both") }
        do {
            _ = try PruningPattern(parsing: pattern)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func execute() throws {
        var selection = SuiteSelection(
            sparsities: sparsity.isEmpty ? nil : sparsity, widths: widths.isEmpty ? nil : widths, sizes: size.isEmpty ? nil : size,
            distributions: distribution.isEmpty ? nil : distribution, limit: limit, filter: filter)
        selection.layerWidths = n.contains("layer")
        selection.pattern = try PruningPattern(parsing: pattern)
        selection.sample = sample
        var job = BenchJob(
            suite: suite ?? .dlmcRN50, selection: selection, data: data, device: device, dtype: dtype, sweep: sweep,
            sweepLimit: sweepLimit, configs: config, skip: skip, warmup: warmup, iterations: iterations,
            command: (["sparrow"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
        job.files = files
        job.minSparsity = minSparsity
        job.outputs = BenchOutputs(json: json, markdown: markdown, svg: svg)
        job.resume = resume
        job.tuningDatabase = db
        job.noTuned = noTuned
        job.lockTimeout = lockTimeout
        job.cold = coldCache
        job.space = specialise.space
        job.cpuRowOrders = cpuRowOrder
        let status = StatusLine()
        defer { status.finish() }
        let report = try job.run(note: { status.note($0) }, progress: { status.progress($0) })
        status.finish()
        print(report.markdown())
        if report.failures > 0 {
            status.note("sparrow: \(report.failures) problems had a candidate whose output failed its check (see the report)")
            throw ExitCode(1)
        }
    }
}


extension BenchSuiteName: ExpressibleByArgument {}
extension SyntheticMatrices.RowDistribution: ExpressibleByArgument {}
extension RowOrdering: ExpressibleByArgument {}
