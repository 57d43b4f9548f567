import CPUKernels
import SparseFormats
import Tuner

/// Measures CPU plan configs for the tuner: builds the plan, checks its output with the one
/// ``Verifier`` (output poisoned with NaN first) and times it on the monotonic clock.
package final class CPUSpMMMeasurer: Measurer {
    package typealias Problem = CPUSpMMProblem
    package typealias Config = CPUPlanConfig

    let w: CSRMatrix<Float>
    let x: [Float]
    let m: Int
    let verifier: Verifier
    /// Untimed and timed runs per trial (the median of `iterations` is the trial's time).
    package let warmup: Int, iterations: Int

    /// Measures plans of `w` on `x` (K x m, row-major) against `verifier`'s reference.
    package init(w: CSRMatrix<Float>, x: [Float], m: Int, verifier: Verifier, warmup: Int = 2, iterations: Int = 10) {
        precondition(x.count == w.columns * m, "x must hold K x m values")
        self.w = w
        self.x = x
        self.m = m
        self.verifier = verifier
        self.warmup = warmup
        self.iterations = iterations
    }

    package func measure(_ config: CPUPlanConfig, for problem: CPUSpMMProblem) -> Trial<CPUPlanConfig> {
        let plan = CPUSpMMPlan(csr: w, options: config.options)
        let workspace = plan.makeWorkspace(maxM: m)
        var y = [Float](repeating: .nan, count: w.rows * m)
        let (x, m) = (self.x, self.m)
        let run = {
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeMutableBufferPointer { yb in plan.run(x: xb, y: yb, m: m, workspace: workspace) }
            }
        }
        run()
        let verdict = verifier.check(y, precision: .fp32)
        if let failure = verdict.failure {
            return Trial(config: config, status: .wrongResult(relativeError: verdict.relativeError, detail: failure))
        }
        let samples = CPUBenchmark.time(iterations: iterations, warmup: warmup, run)
        return Trial(config: config, status: .ok(seconds: Statistics.median(samples)), sampleSeconds: samples)
    }
}
