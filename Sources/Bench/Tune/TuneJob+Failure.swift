import KernelGen
import Tuner

extension TuneJob {
    /// The error that ends a run when the search of `problem` failed: for a fault that left the
    /// GPU context unusable, one line naming the config and saying that a rerun resumes.
    static func searchFailure(_ error: SearchError<SpMMConfig>, _ problem: SpMMBenchProblem, doing: String = "tuning") -> BenchSetupError {
        if case let .measurerUnusable(trial, reason) = error {
            return BenchSetupError(
                "\(doing) \(problem.name) n=\(problem.m): config \(trial.config) faulted (\(reason)); its trial is recorded "
                    + "as a launch failure; rerun the same command to resume (recorded trials are recalled and this config is not run again)")
        }
        return BenchSetupError("\(doing) \(problem.name) n=\(problem.m): \(error)")
    }
}
