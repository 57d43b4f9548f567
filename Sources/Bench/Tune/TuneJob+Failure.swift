import Tuner

extension TuneJob {
    /// The error that ends a run when the search of `problem` failed: for a fault that left the
    /// GPU context unusable, one line naming the config and saying that a rerun resumes.
    static func searchFailure<Config>(_ error: SearchError<Config>, _ problem: SpMMBenchProblem, doing: String = "tuning") -> any Error {
        if case let .measurerUnusable(trial, reason) = error {
            return TuneFault(
                "\(doing) \(problem.name) n=\(problem.m): config \(trial.config) faulted (\(reason)); its trial is recorded "
                    + "as a launch failure; rerun the same command to resume (recorded trials are recalled and this config is not run again)")
        }
        return BenchSetupError("\(doing) \(problem.name) n=\(problem.m): \(error)")
    }
}

/// A kernel faulted and left the GPU context unusable: the run stopped after recording the
/// trial, and a new process (a rerun of the same command) resumes.
package struct TuneFault: Error, CustomStringConvertible {
    /// One line: the problem, the config, the fault, and that a rerun resumes.
    package var description: String

    init(_ description: String) {
        self.description = description
    }

    /// The exit status of `sparrow tune` after a fault (EX_TEMPFAIL: try again), on which
    /// `--isolate` restarts the measuring process.
    package static let exitStatus: Int32 = 75
}
