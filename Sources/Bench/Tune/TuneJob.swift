import Foundation
import Runtime
import SparseFormats
import Tuner
import TuningStore

/// `sparrow tune`: the one entry point for the tuner's command. It tunes the sparse matrices of
/// files into the tuning database, or shows, exports or imports what the database holds.
package struct TuneJob: Sendable {
    /// What the job does.
    package enum Action: Sendable {
        /// Tune every sparse 2-D tensor of these files (or folders).
        case tune(files: [String])
        /// Tune a benchmark suite's matrices (DLMC from `data`, or synthetic ones).
        case tuneSuite(BenchSuiteName, SuiteSelection, data: String?)
        /// Show what the database holds.
        case list
        /// Write every trial to this file (gzip when it ends in `.gz`).
        case export(path: String)
        /// Read trials from this file; `replace` overwrites trials whose key is stored.
        case importTrials(path: String, replace: Bool)
        /// Write the cost model's training table (``FeatureTable``) of the database's trials, or
        /// of an export file's when `from` names one, to `path` (gzip when it ends in `.gz`).
        case features(path: String, from: String?)
    }

    /// What ranks the GPU candidates.
    package enum Ranking: Sendable, Hashable {
        /// Today's shortlist: the measured portfolio, then the hand model's diversified ranking.
        case hand
        /// The learned model (the shipped one, or the model file at `path`), the hand model where
        /// it has no statistics or the problem lies outside its training range.
        case learned(path: String?)
    }

    /// How many configs a search measures.
    package enum Breadth: Sendable, Hashable {
        /// What `sparrow tune` does unless told: the ranking's first ``TuneJob/standardTopK`` on
        /// the GPU, every config left after pruning on the CPU (its space is small).
        case standard
        /// Every config left after pruning.
        case exhaustive
        /// The first `k` left after pruning, in the space's order (the CPU) or the ranking's (the
        /// GPU), plus the default plan on the CPU.
        case topK(Int)

        /// How many configs to measure, nil for every one; ``standard`` means `standard`.
        func limit(standard: Int?) -> Int? {
            switch self {
            case .standard: standard
            case .exhaustive: nil
            case let .topK(k): k
            }
        }
    }

    /// How many of the ranking's configs the standard GPU search times: on matrix families the
    /// model never saw, its first 8 ran at 0.996-1.017 of the exhaustive pick's time (geometric
    /// means, re-timed together) for 32-39x less search time (docs/perf/2026-11-30-h200-tuner-trials4).
    package static let standardTopK = 8

    package var action: Action
    /// The database file; nil for ``TuningStore/defaultPath(environment:)``.
    package var database: String?
    /// Dense widths n; nil for ``FileProblems/defaultWidths``.
    package var widths: [Int]?
    /// Tensors with at least this fraction of zeros are tuned; nil for the bench's default.
    package var minSparsity: Double?
    package var breadth: Breadth
    /// The most seconds one problem's search may take (compiling and timing; it goes on past
    /// this only until one candidate is correct); nil for no limit.
    package var budgetSeconds: Double?
    /// The element type of W, X and Y on the GPU (the CPU plan is tuned in f32 only).
    package var dtype: ElementType
    /// What ranks the GPU candidates.
    package var ranking: Ranking
    /// Compare the search with the exhaustive one on every problem (GPU; see `compareGPU`).
    package var compare = false
    /// Tune only this many matrices, spread evenly over the name order (all widths of each).
    package var sample: Int?
    package var device: DeviceRequest
    /// Timed runs per trial (the median is the trial's time) and untimed runs before them.
    package var iterations: Int
    package var warmup: Int
    /// GPU: rank each shortlist by a cheap proxy and time only its best few fully; nil: time
    /// the whole shortlist.
    package var proxy: ProxyStage?
    /// GPU: after each problem's search, measure up to this many of each pruning rule's
    /// removals and report whether any beat the survivors' best (``auditGPU``); nil: no audit.
    package var auditRules: Int?
    /// For checking fault handling on a real GPU: the first problem's measurement (counted from
    /// 1) that faults the context instead of timing its candidate.
    package var injectFaultAt: Int?
    /// How long to wait for another process's GPU lock (``GPULock``) before failing; nil: no limit.
    package var lockTimeout: Double?
    /// The GPU space searched (`--no-specialise` leaves the specialised family out).
    package var space = SpMMSpace()

    package init(
        action: Action, database: String? = nil, widths: [Int]? = nil, minSparsity: Double? = nil,
        breadth: Breadth = .standard, budgetSeconds: Double? = nil, dtype: ElementType = .f32, ranking: Ranking = .learned(path: nil),
        device: DeviceRequest = .auto, iterations: Int = 10, warmup: Int = 2
    ) {
        self.action = action
        self.database = database
        self.widths = widths
        self.minSparsity = minSparsity
        self.breadth = breadth
        self.budgetSeconds = budgetSeconds
        self.dtype = dtype
        self.ranking = ranking
        self.device = device
        self.iterations = iterations
        self.warmup = warmup
    }

    /// Runs the job. `note` hears warnings (one line each, for stderr), `progress` what is being
    /// measured now and each finished problem; the outcome is what goes to stdout.
    package func run(
        note: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (BenchProgress) -> Void = { _ in }
    ) throws -> TuneOutcome {
        if case let .topK(k) = breadth, k < 1 { throw BenchSetupError("--top-k \(k): must be at least 1") }
        if let sample, sample < 1 { throw BenchSetupError("--sample \(sample): must be at least 1") }
        if let budgetSeconds, !(budgetSeconds > 0) { throw BenchSetupError("--budget \(budgetSeconds): must be positive seconds") }
        guard dtype != .f64 else { throw BenchSetupError("--dtype f64: GPU kernels are f32, f16 or bf16") }
        if case let .features(path, from?) = action {
            return .features(try Self.writeFeatures(of: try TuningStore.readExport(from), input: from, to: path))
        }
        let store = try TuningStore(path: database)
        defer { try? store.close() }
        if let warning = store.warning { note("sparrow: \(warning)") }
        switch action {
        case .list:
            return .listing(try TuneListing(store))
        case let .export(path):
            let count = try store.exportTrials(to: path)
            return .exported(TuneTransfer(database: store.path, file: path, trials: count))
        case let .importTrials(path, replace):
            let report = try store.importTrials(from: path, policy: replace ? .replace : .skipDuplicates)
            return .imported(TuneTransfer(database: store.path, file: path, trials: report.inserted + report.replaced), report)
        case let .features(path, _):
            return .features(try Self.writeFeatures(of: try store.allTrials(), input: store.path, to: path))
        case let .tune(files):
            let problems = try FileProblems(paths: files, minSparsity: minSparsity, widths: widths).problems(note: note)
            return .tuned(try tune(sampled(problems, note: note), store: store, note: note, progress: progress))
        case let .tuneSuite(suite, selection, data):
            let dlmc = suite != .synthetic
            if let data, !dlmc { throw BenchSetupError("--data \(data) names the DLMC data; the synthetic suite does not read it") }
            var selection = selection
            selection.widths = selection.widths ?? widths
            let location = try DataLocation.resolve(data, needed: dlmc)
            let problems = try BenchSuite(name: suite, selection: selection, data: location).problems(note: note)
            guard !problems.isEmpty else { throw BenchSetupError("the selection holds no problems") }
            return .tuned(try tune(sampled(problems, note: note), store: store, note: note, progress: progress))
        }
    }

    /// Tunes `problems` on the device `device` resolves to.
    func tune(
        _ problems: [SpMMBenchProblem], store: TuningStore, note: @escaping @Sendable (String) -> Void,
        progress: @escaping @Sendable (BenchProgress) -> Void
    ) throws -> TuneReport {
        let selected = try device.resolve(note: { note("sparrow: \($0)") })
        note("tuning \(problems.count) problems into \(store.path)")
        switch selected {
        case let .gpu(gpu):
            let model = try learnedModel(note: note)
            let lock = try selected.lockGPU(timeout: lockTimeout, note: note)
            defer { withExtendedLifetime(lock) {} }
            if compare { return try compareGPU(problems, device: gpu, store: store, model: model, progress: progress) }
            if let auditRules {
                return try auditGPU(problems, sample: auditRules, device: gpu, store: store, model: model, progress: progress)
            }
            return try tuneGPU(problems, device: gpu, store: store, model: model, progress: progress)
        case let .cpu(reason):
            if compare { throw BenchSetupError("--compare times GPU kernel searches; \(reason ?? "no GPU")") }
            if auditRules != nil { throw BenchSetupError("--audit-rules times GPU kernels; \(reason ?? "no GPU")") }
            if proxy != nil { note("sparrow: --proxy applies to the GPU's kernel search; the CPU plan is timed fully") }
            if dtype != .f32 { note("sparrow: the CPU plan is tuned in f32 only; --dtype \(dtype.rawValue) applies to the GPU") }
            return try tuneCPU(problems, store: store, reason: reason, progress: progress)
        }
    }

    /// Writes the training table of `trials` (read from `input`) to `path`.
    static func writeFeatures(of trials: [StoredTrial], input: String, to path: String) throws -> FeatureSummary {
        let table = FeatureTable(trials)
        try Gzip.write(table.csv, to: path)
        return FeatureSummary(
            input: input, file: path, trials: trials.count, rows: table.rows, groups: table.groups, skipped: table.skipped)
    }

    /// The problems of ``sample`` matrices spread evenly over `problems`' matrices (in their
    /// order, every width of each), or all of them.
    func sampled(_ problems: [SpMMBenchProblem], note: (String) -> Void) -> [SpMMBenchProblem] {
        var names: [String] = []
        for problem in problems where names.last != problem.name && !names.contains(problem.name) { names.append(problem.name) }
        guard let sample, sample < names.count else { return problems }
        let picked = Set(EvenSample.pick(names, count: sample))
        note("--sample \(sample): \(picked.count) of \(names.count) matrices, spread over the name order")
        return problems.filter { picked.contains($0.name) }
    }

    /// The learned model ``ranking`` asks for, or nil for the hand model (also when no model
    /// ships: `note` says so once).
    func learnedModel(note: (String) -> Void) throws -> LearnedCostModel? {
        guard case let .learned(path) = ranking else { return nil }
        guard let path else {
            switch SpMMCostModelFile.shipped {
            case let .success(file): return LearnedCostModel(file)
            case let .failure(error):
                note("sparrow: no learned cost model (\(error)); ranking with the hand model")
                return nil
            }
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw BenchSetupError("--model-file \(path): \(error.localizedDescription)") }
        do { return LearnedCostModel(try SpMMCostModelFile(json: data)) } catch { throw BenchSetupError("--model-file \(path): \(error)") }
    }

    /// The search's limits: ``budgetSeconds``.
    var budget: SearchBudget { SearchBudget(maxSeconds: budgetSeconds) }
}
