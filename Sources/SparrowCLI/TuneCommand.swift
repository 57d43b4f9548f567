import ArgumentParser
import Bench
import Foundation
import Runtime
import SparseFormats
import Tuner

/// `sparrow tune`: tunes the sparse matrices of files into the tuning database, or shows,
/// exports or imports what it holds.
struct TuneCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Tune kernel choices for your matrices into the tuning database, or list, export or import it.",
        discussion: """
            Every trial is recorded in the database as it ends, keyed by problem, config and machine, \
            so a rerun recalls instead of measuring again. Without a GPU this says so on one line and \
            tunes the CPU plan (threads, chunks per thread, X repacking) through the same search; \
            the default plan is always timed beside the tuned one. The database is \
            $XDG_CACHE_HOME/sparrow/tuning.sqlite (default ~/.cache/sparrow/tuning.sqlite) unless --db \
            names another; a corrupt one is moved aside and rebuilt, with a warning.
            """)

    @Argument(help: ArgumentHelp(
        "Your own weights: .safetensors, .npz, .npy, .mtx or .smtx files, or folders of them.",
        discussion: "Tuned: the same tensors `sparrow bench spmm FILE` benchmarks."))
    var files: [String] = []

    @OptionGroup var specialise: SpecialiseOption

    @Option(name: .long, help: "Instead of files: dlmc-rn50, dlmc-transformer or synthetic (the bench's suites).")
    var suite: BenchSuiteName?

    @Option(name: .long, parsing: .upToNextOption, help: "With --suite: sparsities (DLMC folders 0.5 ... 0.98; synthetic targets).")
    var sparsity: [Double] = []

    @Option(name: .long, help: "With a DLMC --suite: the folder with the DLMC data (as for sparrow bench).")
    var data: String?

    @Option(name: .long, parsing: .upToNextOption, help: "With --suite synthetic: N = K sizes (default 4096).")
    var size: [Int] = []

    @Option(name: .long, parsing: .upToNextOption, help: "With --suite synthetic: uniform and/or powerlaw row lengths.")
    var distribution: [SyntheticMatrices.RowDistribution] = []

    @Option(name: .long, help: "With --suite: at most this many matrices per sparsity (the first in name order).")
    var limit: Int?

    @Option(name: .long, help: "Tune only this many matrices, spread evenly over the name order (every n of each).")
    var sample: Int?

    @Option(name: [.customShort("n"), .long], parsing: .upToNextOption,
            help: "Dense widths n (columns of X); default 1 16 256 for files, the suite's otherwise.")
    var n: [Int] = []

    @Option(name: .long, help: "Element type of W, X and Y on the GPU: f32, f16 or bf16 (the CPU plan is f32 only).")
    var dtype: ElementType = .f32

    @Option(name: .long, help: ArgumentHelp(
        "GPU: what ranks the candidates: learned (the trained model, the default; the hand model for an element type it was not trained on) or hand (the measured portfolio, then the hand model: the bench's 16-config shortlist).",
        valueName: "hand|learned"))
    var costModel: CostModelName = .learned

    @Flag(name: .long, help: ArgumentHelp(
        "GPU: per problem, run this search (top 8, --top-k or --budget), then the exhaustive one, then this one again warm, nothing recalled; re-time the two picks together, interleaved, and report tuned over exhaustive time and search cost."))
    var compare = false

    @Flag(name: .long, help: ArgumentHelp(
        "GPU: time each shortlisted candidate by a cheap proxy (1 untimed and 3 timed runs, unverified) and only the --proxy-keep fastest fully; the proxy time is recorded with each trial. With --compare: also report how the proxy ranks against full times (Kendall tau, proxy's pick within 3%)."))
    var proxy = false

    @Option(name: .long, help: ArgumentHelp(
        "GPU: after each problem's search, measure up to N of the configs each pruning rule removed and report per rule whether any beat the survivors' best (and by how much).",
        valueName: "N"))
    var auditRules: Int?

    @Flag(name: .long, help: ArgumentHelp(
        "Measure in a child process (this command again, over the same database) and start it again after a kernel fault leaves the GPU unusable; the faulted config is recorded as failed and never run again."))
    var isolate = false

    @Option(name: .long, help: ArgumentHelp(
        "For checking fault handling: the first problem's Nth measurement faults the GPU context instead (on the CPU: is recorded as a fault).",
        valueName: "N", visibility: .hidden))
    var injectFault: Int?

    @Option(name: .long, help: "With --proxy: how many candidates the proxy keeps for full timing.")
    var proxyKeep = 4

    @Option(name: .long, help: ArgumentHelp("With --cost-model learned: a model file of scripts/train-cost-model.py instead of the one built in.", valueName: "file"))
    var modelFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "Stop measuring a problem's candidates after this many seconds (compiling included; it goes on until one is correct).",
        valueName: "seconds"))
    var budget: Double?

    @Option(name: .long, help: "The tuning database file (default: $XDG_CACHE_HOME/sparrow/tuning.sqlite).")
    var db: String?

    @Option(name: .long, help: "Measure at most K configs per problem after pruning (default: 8 on the GPU, in the cost model's order; every one on the CPU, plus the default plan).")
    var topK: Int?

    @Flag(name: .long, help: "Measure every config left after pruning (the default on the CPU; on the GPU for comparison).")
    var exhaustive = false

    @Option(name: .long, help: "Tune a 2-D tensor only if at least this fraction of it is zero (default 0.3).")
    var minSparsity: Double?

    @Option(name: .long, help: "auto, gpu or cpu.")
    var device: DeviceRequest = .auto

    @Option(name: .long, help: ArgumentHelp(
        "GPU: wait at most this long for another sparrow process timing on the same GPU (default: wait).",
        valueName: "seconds"))
    var lockTimeout: Double?

    @Option(name: .long, help: "Timed runs per trial (median recorded).")
    var iterations = 10

    @Flag(name: .long, help: "Show what the database holds: trials per machine, and per family and status.")
    var list = false

    @Flag(name: .long, help: "With --list or FILE: print JSON instead of tables.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Write every trial to FILE (JSON lines; gzip if FILE ends in .gz).", valueName: "file"))
    var export: String?

    @Option(name: .customLong("import"), help: ArgumentHelp("Add the trials of an --export FILE to the database.", valueName: "file"))
    var importFile: String?

    @Flag(name: .long, help: "With --import: replace stored trials of the same key (default: keep them).")
    var replace = false

    @Option(name: .long, help: ArgumentHelp(
        "Write the learned cost model's training table (CSV; gzip if FILE ends in .gz): features, group and time of every correct GPU trial.",
        valueName: "file"))
    var features: String?

    @Option(name: .long, help: ArgumentHelp("With --features: read the trials of this --export file instead of the database.", valueName: "file"))
    var from: String?

    var action: TuneJob.Action {
        if list { return .list }
        if let export { return .export(path: export) }
        if let importFile { return .importTrials(path: importFile, replace: replace) }
        if let features { return .features(path: features, from: from) }
        if let suite {
            let selection = SuiteSelection(
                sparsities: sparsity.isEmpty ? nil : sparsity, widths: n.isEmpty ? nil : n, sizes: size.isEmpty ? nil : size,
                distributions: distribution.isEmpty ? nil : distribution, limit: limit)
            return .tuneSuite(suite, selection, data: data)
        }
        return .tune(files: files)
    }

    func execute() throws {
        if isolate { return try runIsolated() }
        do {
            try executeHere()
        } catch let fault as TuneFault {
            _ = CommandFailure.report(fault)
            throw ExitCode(TuneFault.exitStatus)
        }
    }

    /// The command in this process.
    func executeHere() throws {
        var job = TuneJob(
            action: action, database: db, widths: n.isEmpty ? nil : n, minSparsity: minSparsity,
            breadth: exhaustive ? .exhaustive : topK.map { .topK($0) } ?? .standard, budgetSeconds: budget, dtype: dtype,
            ranking: costModel == .learned ? .learned(path: modelFile) : .hand, device: device,
            iterations: iterations)
        job.compare = compare
        job.sample = sample
        job.lockTimeout = lockTimeout
        job.space = specialise.space
        job.injectFaultAt = injectFault
        job.auditRules = auditRules
        job.proxy = proxy ? ProxyStage(keep: proxyKeep) : nil
        let status = StatusLine()
        let outcome = try job.run(note: { status.note($0) }, progress: { status.progress($0) })
        status.finish()
        switch outcome {
        case let .listing(listing):
            print(json ? try Self.json(listing) : listing.text(), terminator: "")
        case let .exported(transfer):
            print("exported \(transfer.trials) trials from \(transfer.database) to \(transfer.file)")
        case let .imported(transfer, report):
            print("imported \(transfer.file) into \(transfer.database): \(report.inserted) new, \(report.replaced) replaced, \(report.skipped) already stored (kept)")
        case let .features(summary):
            print(summary.line)
        case let .tuned(report):
            print(json ? try Self.json(TuneReportJSON(report: report)) : report.text(), terminator: "")
        }
    }

    /// `value` as pretty JSON with sorted keys, ending in a newline.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// The `--cost-model` names.
enum CostModelName: String, ExpressibleByArgument, CaseIterable {
    case hand, learned
}
