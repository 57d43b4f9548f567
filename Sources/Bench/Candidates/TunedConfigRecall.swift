import KernelGen
import Runtime
import TuningStore

/// The tuned configs `sparrow tune` stored, for Sparrow's GPU candidate in the benchmark: the
/// fastest correct config of a problem measured on the same GPU, driver, NVRTC and generator,
/// used instead of a search when present.
package struct TunedConfigRecall: Sendable {
    let sink: SpMMTuningStoreSink

    /// Recalls from `store` the trials measured on `device`.
    package init(store: TuningStore, device: GPUDevice) {
        self.init(store: store, context: .gpu(device))
    }

    /// Recalls from `store` the trials measured in `context`.
    package init(store: TuningStore, context: TuningContext) {
        sink = SpMMTuningStoreSink(store: store, context: context)
    }

    /// The database file.
    package var database: String { sink.store.path }

    /// The stored best config of `problem` that is still legal for it, or nil.
    package func config(for problem: SpMMProblem) -> SpMMConfig? {
        // An unreadable database costs the recall, never the benchmark: the search runs instead.
        guard let best = try? sink.best(for: problem), (try? best.config.validate(for: problem)) != nil else { return nil }
        return best.config
    }
}

/// Where the config of Sparrow's candidate came from on one problem (``CandidateResult/configOrigin``).
package enum ConfigOrigin: String, Codable, Sendable {
    /// Recalled from the tuning database (`sparrow tune`).
    case tuned
    /// Chosen by the benchmark's own search.
    case search
    /// Named (`--config`, or a fixed reference kernel).
    case fixed
}
