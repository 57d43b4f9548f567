import Synchronization

/// A measurer that "faults" at its Nth measurement (counted from 1): that trial is a launch
/// error and the measurer is unusable from then on, as a GPU measurer is after an illegal
/// address. For exercising fault handling end to end where no GPU can fault
/// (`sparrow tune --device cpu --inject-fault N`).
package final class FaultInjectingMeasurer<Base: Measurer>: Measurer {
    package typealias Problem = Base.Problem
    package typealias Config = Base.Config

    let base: Base
    let faultAt: Int
    private let count = Mutex(0)

    package init(_ base: Base, faultAt: Int) {
        self.base = base
        self.faultAt = faultAt
    }

    package func prepare(_ configs: [Config], for problem: Problem) { base.prepare(configs, for: problem) }

    package func measure(_ config: Config, for problem: Problem) -> Trial<Config> {
        let index = count.withLock { count in
            count += 1
            return count
        }
        guard index == faultAt else { return base.measure(config, for: problem) }
        return Trial(config: config, status: .launchError("injected fault"))
    }

    package var unusableReason: String? {
        base.unusableReason ?? (count.withLock { $0 } >= faultAt ? "injected fault (--inject-fault)" : nil)
    }
}
