import Synchronization

/// A thread-safe sink that keeps every trial in memory, in the order recorded.
package final class MemoryTrialSink<Problem: Hashable & Sendable, Config: Hashable & Sendable>: TrialSink {
    /// One recorded trial with its problem.
    package struct Record: Sendable {
        /// The problem measured.
        package var problem: Problem
        /// The trial.
        package var trial: Trial<Config>
    }

    private let state = Mutex<[Record]>([])
    private let recalls: Bool

    /// An empty sink; with `recalls`, a search reuses the full-phase trials it holds instead of
    /// measuring their configs again (a resumed run); a proxy trial never stands in for one.
    package init(recalls: Bool = false) {
        self.recalls = recalls
    }

    package func record(_ trial: Trial<Config>, for problem: Problem) {
        state.withLock { $0.append(Record(problem: problem, trial: trial)) }
    }

    package func recall(_ config: Config, for problem: Problem) -> Trial<Config>? {
        guard recalls else { return nil }
        // The latest trial wins, as a rerun of a config supersedes older ones.
        return state.withLock { records in
            records.last { $0.problem == problem && $0.trial.config == config && $0.trial.phase == .full }?.trial
        }
    }

    /// Every record, in the order recorded.
    package var records: [Record] { state.withLock { $0 } }

    /// Every trial, in the order recorded.
    package var trials: [Trial<Config>] { records.map(\.trial) }
}
