import Foundation
import KernelGen
import Tuner

/// A ``Tuner/TrialSink`` that writes every trial to a ``TuningStore`` as it ends (one committed
/// transaction each, so a crash or Ctrl-C loses at most the trial in flight) and recalls stored
/// trials of the same context, so a rerun resumes where the last one stopped.
package struct TuningStoreSink<Keying: TrialKeying>: TrialSink {
    package typealias Problem = Keying.Problem
    package typealias Config = Keying.Config

    /// The database.
    package let store: TuningStore
    /// Where the trials are measured; recall and best configs only see this context.
    package let context: TuningContext
    /// How problems and configs become keys.
    package let keying: Keying
    /// The phase whose trials ``recall(_:for:)`` returns (a proxy never stands in for the real
    /// kernel, nor the reverse).
    package var recallPhase: TrialPhase
    /// The statuses ``recall(_:for:)`` returns; leave out `launchError` when a faulted kernel may
    /// have failed the trials after it in the same process.
    package var recallStatuses: Set<TrialStatus.Kind>

    package init(
        store: TuningStore, context: TuningContext, keying: Keying, recallPhase: TrialPhase = .full,
        recallStatuses: Set<TrialStatus.Kind> = Set(TrialStatus.Kind.allCases)
    ) {
        self.store = store
        self.context = context
        self.keying = keying
        self.recallPhase = recallPhase
        self.recallStatuses = recallStatuses
    }

    package func record(_ trial: Trial<Config>, for problem: Problem) throws {
        let config = trial.config
        try store.record(
            StoredTrial(
                trial, configID: keying.configID(config), family: keying.family(config),
                problem: keying.problemKey(problem), details: keying.details(problem), context: context))
    }

    /// The stored trial of `config` on `problem` in this context and phase; nil (measure again)
    /// when there is none, its status is not recalled, or the database cannot be read.
    package func recall(_ config: Config, for problem: Problem) -> Trial<Config>? {
        // The protocol cannot throw here; an unreadable row costs one measurement, not the run.
        guard
            let row = try? store.stored(
                keying.configID(config), phase: recallPhase, for: keying.problemKey(problem), in: context),
            recallStatuses.contains(row.status)
        else { return nil }
        return try? row.trial(config)
    }

    /// The fastest correct full-phase trial of `problem` in this context, or nil when none is stored.
    package func best(for problem: Problem) throws -> Trial<Config>? {
        guard let row = try store.best(for: keying.problemKey(problem), in: context) else { return nil }
        return try row.trial(keying.config(parsing: row.config))
    }
}

/// The sink for GPU SpMM searches.
package typealias SpMMTuningStoreSink = TuningStoreSink<SpMMTrialKeying>

extension TuningStoreSink where Keying == SpMMTrialKeying {
    /// A sink for GPU SpMM trials measured in `context`; rows of a problem with `pattern`'s
    /// shape record `source` and the statistics (see ``SpMMTrialKeying``).
    package init(store: TuningStore, context: TuningContext, source: String? = nil, pattern: PatternStatistics? = nil) {
        self.init(store: store, context: context, keying: SpMMTrialKeying(source: source, pattern: pattern))
    }
}
