/// How one op's problems and configs become database keys and come back: what lets one
/// ``TuningStoreSink`` serve the GPU SpMM space, the CPU plan's space and later ops.
package protocol TrialKeying<Problem, Config>: Sendable {
    /// What is tuned for.
    associatedtype Problem
    /// One candidate.
    associatedtype Config

    /// The key of `problem` (its ``ProblemKey/op`` names this op).
    func problemKey(_ problem: Problem) -> ProblemKey
    /// `config`'s stable id (what ``config(parsing:)`` reads back).
    func configID(_ config: Config) -> String
    /// `config`'s family, for counts by family (the op's name when it has one family).
    func family(_ config: Config) -> String
    /// The config whose id is `id`.
    func config(parsing id: String) throws(TuningStoreError) -> Config
    /// What a row records about `problem` beyond its key: its source and pattern statistics.
    /// Optional: nothing by default.
    func details(_ problem: Problem) -> ProblemDetails
}

extension TrialKeying {
    package func details(_ problem: Problem) -> ProblemDetails { ProblemDetails() }
}
