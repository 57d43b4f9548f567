import Synchronization
import Tuner

/// Times configs as ``FakeMeasurer`` does; measuring a config in `faults` "faults the device":
/// the trial is a launch error and the measurer is unusable from then on. Its proxy time is the
/// real time scaled by a deterministic noise of up to `noise` either way.
final class FaultyMeasurer: ProxyMeasurer {
    var faults: Set<ToyConfig> = []
    var noise = 0.04
    private(set) var measured: [ToyConfig] = []
    private(set) var proxied: [ToyConfig] = []
    private(set) var unusableReason: String?

    func seconds(_ config: ToyConfig, _ problem: ToyProblem) -> Double {
        Double(abs(config.a * config.b - problem.target)) + Double(config.a) / 100 + 1
    }

    func measure(_ config: ToyConfig, for problem: ToyProblem) -> Trial<ToyConfig> {
        precondition(unusableReason == nil, "measured \(config) after the device became unusable")
        measured.append(config)
        if faults.contains(config) {
            unusableReason = "toy illegal address"
            return Trial(config: config, status: .launchError("toy illegal address"))
        }
        return Trial(config: config, status: .ok(seconds: seconds(config, problem)))
    }

    func measureProxy(_ config: ToyConfig, for problem: ToyProblem) -> Trial<ToyConfig> {
        precondition(unusableReason == nil, "proxied \(config) after the device became unusable")
        proxied.append(config)
        if faults.contains(config) {
            unusableReason = "toy illegal address"
            return Trial(config: config, status: .launchError("toy illegal address"), phase: .proxy)
        }
        // -noise ... +noise, from the config: the same on every run.
        let wobble = (Double((config.a * 7 + config.b * 3) % 5) - 2) / 2 * noise
        return Trial(config: config, status: .ok(seconds: seconds(config, problem) * (1 + wobble)), phase: .proxy)
    }
}
