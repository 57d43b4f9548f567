/// A ``Measurer`` that can also time a cheap stand-in for a candidate (fewer timed runs, a
/// sample of the rows): what ``Search/run(for:measurer:sink:proxy:)`` ranks the shortlist by
/// before timing its best few fully.
package protocol ProxyMeasurer<Problem, Config>: Measurer {
    /// A proxy trial of `config`: phase ``TrialPhase/proxy``, `.ok` with the proxy's time, or the
    /// failure that stopped it. Like ``Measurer/measure(_:for:)`` it never throws.
    func measureProxy(_ config: Config, for problem: Problem) -> Trial<Config>
}

/// The proxy stage of a search: every shortlisted candidate is timed by its proxy, and only the
/// `keep` fastest by proxy are timed fully (the rest become the fallback, in proxy order).
package struct ProxyStage: Sendable, Hashable {
    /// How many candidates are timed fully (k').
    package var keep: Int

    package init(keep: Int) {
        self.keep = max(1, keep)
    }
}

extension ObservedMeasurer: ProxyMeasurer where Base: ProxyMeasurer {
    /// The base's proxy (not reported to the observer, which counts full trials).
    package func measureProxy(_ config: Config, for problem: Problem) -> Trial<Config> {
        base.measureProxy(config, for: problem)
    }
}

/// A measurer that writes each config's proxy time into its full trial's ``Trial/proxySeconds``.
struct ProxyAnnotatedMeasurer<Base: Measurer>: Measurer where Base.Config: Hashable {
    typealias Problem = Base.Problem
    typealias Config = Base.Config

    let base: Base
    let proxySeconds: [Config: Double]

    func prepare(_ configs: [Config], for problem: Problem) { base.prepare(configs, for: problem) }

    func measure(_ config: Config, for problem: Problem) -> Trial<Config> {
        var trial = base.measure(config, for: problem)
        trial.proxySeconds = trial.proxySeconds ?? proxySeconds[config]
        return trial
    }

    var unusableReason: String? { base.unusableReason }
}
