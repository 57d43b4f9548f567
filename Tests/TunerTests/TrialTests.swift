import Foundation
import Testing
import Tuner

@Suite struct TrialTests {
    @Test func trialsRoundTripThroughJSON() throws {
        let trials = [
            Trial(config: ToyConfig(2, 3), status: .ok(seconds: 1.5e-5), sampleSeconds: [1.5e-5, 1.6e-5], compileSeconds: 0.2),
            Trial(config: ToyConfig(1, 2), status: .wrongResult(relativeError: nil, detail: "NaN in row 7"), phase: .proxy),
            Trial(config: ToyConfig(3, 1), status: .launchError("illegal address"), origin: .fallback),
        ]
        let data = try JSONEncoder().encode(trials)
        #expect(try JSONDecoder().decode([Trial<ToyConfig>].self, from: data) == trials)
    }

    @Test func statusKindsHaveStableNames() {
        #expect(TrialStatus.Kind.allCases.map(\.rawValue) == [
            "ok", "compile_error", "wrong_result", "launch_error", "invalid", "skipped",
        ])
        #expect(TrialStatus.compileError("x").kind == .compileError)
        #expect(TrialStatus.ok(seconds: 2).isCorrect)
        #expect(!TrialStatus.skipped("no tensor cores").isCorrect)
    }
}
