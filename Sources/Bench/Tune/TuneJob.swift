import Foundation
import Runtime
import TuningStore

/// `sparrow tune`: the one entry point for the tuner's command. It tunes the sparse matrices of
/// files into the tuning database, or shows, exports or imports what the database holds.
package struct TuneJob: Sendable {
    /// What the job does.
    package enum Action: Sendable, Hashable {
        /// Tune every sparse 2-D tensor of these files (or folders).
        case tune(files: [String])
        /// Show what the database holds.
        case list
        /// Write every trial to this file (gzip when it ends in `.gz`).
        case export(path: String)
        /// Read trials from this file; `replace` overwrites trials whose key is stored.
        case importTrials(path: String, replace: Bool)
    }

    /// How many configs a search measures.
    package enum Breadth: Sendable, Hashable {
        /// Every config left after pruning.
        case exhaustive
        /// The first `k` left after pruning, in the space's order (the CPU) or the ranking's (the
        /// GPU), plus the default plan on the CPU.
        case topK(Int)
    }

    package var action: Action
    /// The database file; nil for ``TuningStore/defaultPath(environment:)``.
    package var database: String?
    /// Dense widths n; nil for ``FileProblems/defaultWidths``.
    package var widths: [Int]?
    /// Tensors with at least this fraction of zeros are tuned; nil for the bench's default.
    package var minSparsity: Double?
    package var breadth: Breadth
    package var device: DeviceRequest
    /// Timed runs per trial (the median is the trial's time) and untimed runs before them.
    package var iterations: Int
    package var warmup: Int

    package init(
        action: Action, database: String? = nil, widths: [Int]? = nil, minSparsity: Double? = nil,
        breadth: Breadth = .exhaustive, device: DeviceRequest = .auto, iterations: Int = 10, warmup: Int = 2
    ) {
        self.action = action
        self.database = database
        self.widths = widths
        self.minSparsity = minSparsity
        self.breadth = breadth
        self.device = device
        self.iterations = iterations
        self.warmup = warmup
    }

    /// Runs the job. `note` hears progress and warnings (one line each, for stderr); the outcome
    /// is what goes to stdout.
    package func run(note: @escaping @Sendable (String) -> Void) throws -> TuneOutcome {
        if case let .topK(k) = breadth, k < 1 { throw BenchSetupError("--top-k \(k): must be at least 1") }
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
        case let .tune(files):
            return .tuned(try tune(files, store: store, note: note))
        }
    }

    /// Tunes the files' problems on the device `device` resolves to.
    func tune(_ files: [String], store: TuningStore, note: @escaping @Sendable (String) -> Void) throws -> TuneReport {
        let problems = try FileProblems(paths: files, minSparsity: minSparsity, widths: widths).problems(note: note)
        let selected = try device.resolve(note: { note("sparrow: \($0)") })
        note("tuning \(problems.count) problems into \(store.path)")
        switch selected {
        case let .gpu(gpu):
            return try tuneGPU(problems, device: gpu, store: store, note: note)
        case let .cpu(reason):
            return try tuneCPU(problems, store: store, reason: reason, note: note)
        }
    }
}
