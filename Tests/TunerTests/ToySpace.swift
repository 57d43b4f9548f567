import Synchronization
import Tuner

/// The toy problem: configs are scored by how close a x b is to `target`.
struct ToyProblem: Hashable, Sendable {
    var target: Int
}

/// A two-knob config.
struct ToyConfig: Hashable, Sendable, Codable, CustomStringConvertible {
    var a: Int
    var b: Int
    init(_ a: Int, _ b: Int) {
        self.a = a
        self.b = b
    }
    var description: String { "a\(a).b\(b)" }
}

enum ToyError: Error, Equatable {
    case degenerate(a: Int, b: Int)
    case productTooLarge(product: Int, limit: Int)
}

/// a, b in 1...4 (a-major); (1, 1) and (4, 4) are illegal.
struct ToySpace: TuningSpace {
    var name = "toy"
    var rules: [PruningRule<ToyProblem, ToyConfig>] = []
    var values = Array(1...4)

    func enumerate(_ problem: ToyProblem) -> [ToyConfig] {
        values.flatMap { a in values.map { b in ToyConfig(a, b) } }
    }

    func legalityError(_ config: ToyConfig, for problem: ToyProblem) -> (any Error)? {
        if config.a == 1 && config.b == 1 { return ToyError.degenerate(a: 1, b: 1) }
        if config.a * config.b > 12 { return ToyError.productTooLarge(product: config.a * config.b, limit: 12) }
        return nil
    }
}

/// The three rules the prune tests use: b = 3, then a = 4, then (set-level) for a = 3 every b
/// above the smallest b left with a = 3.
let toyRules: [PruningRule<ToyProblem, ToyConfig>] = [
    PruningRule("odd-b", reason: "b = 3 never wins", provenance: .algorithm("toy")) { config, _ in config.b == 3 },
    PruningRule("a4", reason: "a = 4 exceeds the device", provenance: .hardware("toy")) { config, _ in config.a == 4 },
    PruningRule(
        "a3-smallest-b", reason: "with a = 3 only the smallest b helps", provenance: .measured(where: "toy sweep")
    ) { candidates, _ in
        let smallest = candidates.filter { $0.a == 3 }.map(\.b).min() ?? Int.max
        return { $0.a == 3 && $0.b > smallest }
    },
]

/// Estimates |a x b - target|: several survivors tie, which the ranking tests rely on.
let toyModel = ClosureCostModel<ToyProblem, ToyConfig>("distance") { config, problem in
    Double(abs(config.a * config.b - problem.target))
}

/// A clock the tests move by hand (through the fake measurer).
final class FakeClock: Sendable {
    private let seconds = Mutex(0.0)
    var clock: SearchClock { SearchClock { [self] in seconds.withLock { $0 } } }
    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
}

/// Times a config as |a x b - target| + a / 100 + 1 (deterministic), except configs listed to
/// fail; each measurement advances the clock by one second.
final class FakeMeasurer: Measurer {
    var compileErrors: Set<ToyConfig> = []
    var wrongResults: Set<ToyConfig> = []
    let clock = FakeClock()
    private(set) var measured: [ToyConfig] = []
    private(set) var prepared: [[ToyConfig]] = []

    func prepare(_ configs: [ToyConfig], for problem: ToyProblem) {
        prepared.append(configs)
    }

    func measure(_ config: ToyConfig, for problem: ToyProblem) -> Trial<ToyConfig> {
        measured.append(config)
        clock.advance(1)
        if compileErrors.contains(config) {
            return Trial(config: config, status: .compileError("toy compiler refuses \(config)"))
        }
        if wrongResults.contains(config) {
            return Trial(config: config, status: .wrongResult(relativeError: 0.5, detail: "toy mismatch"))
        }
        let seconds = Double(abs(config.a * config.b - problem.target)) + Double(config.a) / 100 + 1
        return Trial(config: config, status: .ok(seconds: seconds), sampleSeconds: [seconds, seconds], compileSeconds: 0.25)
    }
}

/// A sink that refuses to record.
struct FailingSink: TrialSink {
    struct Full: Error {}
    func record(_ trial: Trial<ToyConfig>, for problem: ToyProblem) throws { throw Full() }
}

/// Shorthand for a list of configs.
func configs(_ pairs: [(Int, Int)]) -> [ToyConfig] { pairs.map { ToyConfig($0.0, $0.1) } }
