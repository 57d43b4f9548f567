import CUDA
import KernelGen
import SparseFormats
import Tuner

extension GPUSpMMMeasurer: ProxyMeasurer {
    /// The proxy: the kernel compiled and bound as for a trial, then ``proxyIterations`` timed
    /// runs after ``proxyWarmup`` untimed ones, unverified (the full trial verifies the few kept).
    package func measureProxy(_ config: SpMMConfig, for problem: SpMMProblem) -> Trial<SpMMConfig> {
        do {
            _ = try KernelGen.render(problem, config, pattern: operands.host)
        } catch {
            return Trial(config: config, status: .invalid("\(error)"), phase: .proxy)
        }
        let kernel: BoundSpMMKernel
        do {
            kernel = try bind(config, for: problem)
        } catch {
            return Trial(config: config, status: .compileError("\(error)"), phase: .proxy)
        }
        do {
            try injectFaultIfDue()
            let samples = try kernel.time(device: device, warmup: proxyWarmup, iterations: proxyIterations)
            let seconds = Statistics.median(samples)
            return Trial(config: config, status: .ok(seconds: seconds), sampleSeconds: samples, proxySeconds: seconds, phase: .proxy)
        } catch {
            noteFault(error)
            return Trial(config: config, status: .launchError("\(error)"), phase: .proxy)
        }
    }
}
