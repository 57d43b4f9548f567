/// A measurer that tells an observer about each trial as it ends (a progress line), measuring
/// through `base`.
package struct ObservedMeasurer<Base: Measurer>: Measurer {
    package typealias Problem = Base.Problem
    package typealias Config = Base.Config

    /// The measurer that does the work.
    package let base: Base
    /// Hears the candidates about to be measured (``prepare(_:for:)``), then each trial.
    package let observer: any MeasurementObserver<Config>

    package init(_ base: Base, observer: some MeasurementObserver<Config>) {
        self.base = base
        self.observer = observer
    }

    package func prepare(_ configs: [Config], for problem: Problem) {
        observer.willMeasure(configs.count)
        base.prepare(configs, for: problem)
    }

    package func measure(_ config: Config, for problem: Problem) -> Trial<Config> {
        let trial = base.measure(config, for: problem)
        observer.didMeasure(trial)
        return trial
    }

    package var unusableReason: String? { base.unusableReason }
}

/// What an ``ObservedMeasurer`` reports to.
package protocol MeasurementObserver<Config> {
    /// One candidate.
    associatedtype Config

    /// `count` candidates are about to be measured (the search's queue, recalled ones left out).
    func willMeasure(_ count: Int)
    /// One trial ended.
    func didMeasure(_ trial: Trial<Config>)
}

extension Measurer {
    /// This measurer, reporting each trial to `observer`.
    package func observed(by observer: some MeasurementObserver<Config>) -> ObservedMeasurer<Self> {
        ObservedMeasurer(self, observer: observer)
    }
}
