/// Measures candidates: compiles, binds, verifies against the reference and times them.
///
/// `measure` never throws for a bad candidate: a compile error, a wrong result or a fault is a
/// ``TrialStatus``, so one bad kernel costs one trial. Implementations live where the device is
/// (Runtime's GPU and CPU measurers); tests use a fake.
package protocol Measurer<Problem, Config> {
    /// What is tuned for.
    associatedtype Problem
    /// One candidate.
    associatedtype Config

    /// Called once with the candidates about to be measured, in order, so a measurer can
    /// compile them together (in parallel, through its cache) before timing any. Optional.
    func prepare(_ configs: [Config], for problem: Problem)

    /// One trial of `config` on `problem`; its `config` must be `config`.
    func measure(_ config: Config, for problem: Problem) -> Trial<Config>

    /// Why this measurer can measure nothing more, once a trial left its device unusable (a
    /// sticky fault such as an illegal address poisons a CUDA context); nil while it works.
    /// The search records the trial that broke it, then stops with
    /// ``SearchError/measurerUnusable(_:reason:)``. Optional.
    var unusableReason: String? { get }
}

extension Measurer {
    /// Nothing to prepare: each candidate is compiled when measured.
    package func prepare(_ configs: [Config], for problem: Problem) {}

    /// Never breaks.
    package var unusableReason: String? { nil }
}
