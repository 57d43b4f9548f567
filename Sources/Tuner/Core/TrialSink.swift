/// Where the search hands every trial, in the order measured (the tuning database, a file, or
/// memory).
package protocol TrialSink<Problem, Config>: Sendable {
    /// What is tuned for.
    associatedtype Problem
    /// One candidate.
    associatedtype Config

    /// Stores `trial` of `problem`. A thrown error stops the search (a database that cannot
    /// write would otherwise lose every trial after it).
    func record(_ trial: Trial<Config>, for problem: Problem) throws

    /// A trial of `config` on `problem` stored earlier, which the search reuses instead of
    /// measuring again (so a rerun resumes); `nil` to measure. Optional.
    func recall(_ config: Config, for problem: Problem) -> Trial<Config>?
}

extension TrialSink {
    /// Never recalls: every candidate is measured.
    package func recall(_ config: Config, for problem: Problem) -> Trial<Config>? { nil }
}
