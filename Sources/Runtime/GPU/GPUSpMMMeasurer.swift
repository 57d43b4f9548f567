import CUDA
import KernelGen
import SparseFormats
import Tuner

/// Measures SpMM configs on a GPU for the tuner: renders each config once, compiles it through
/// the device's kernel cache, binds it to the problem's operands, checks it with the one
/// ``Verifier`` and times it with the one timer (``LaunchTiming``).
///
/// A config that breaks a legality rule is an `invalid` trial, one NVRTC or module load fails as a
/// `compileError`, a launch that faults as a `launchError`, an output off the reference as a
/// `wrongResult`; only a correct one is timed. Nothing here decides which config wins.
package final class GPUSpMMMeasurer: Measurer {
    package typealias Problem = SpMMProblem
    package typealias Config = SpMMConfig

    let device: GPUDevice
    let operands: DeviceOperands
    let verifier: Verifier
    let precision: ComputePrecision
    /// Untimed and timed runs per trial (the median of `iterations` is the trial's time).
    package let warmup: Int, iterations: Int
    private var sources: [SpMMConfig: KernelSource] = [:]
    /// Seconds ``prepare(_:for:)``'s parallel compile spent on each config's kernel (counted in its trial).
    private var precompileSeconds: [SpMMConfig: Double] = [:]
    /// Set by the first trial whose error left the context unusable (``CUDA/CUDAError/isStickyContextFault``).
    package private(set) var unusableReason: String?
    /// Untimed and timed runs of a proxy trial (``measureProxy(_:for:)``).
    package var proxyWarmup = 1, proxyIterations = 3
    /// For checking fault handling on a real GPU: the measurement (proxy or full, counted from
    /// 1) that launches a kernel faulting the context instead of the candidate; nil: none.
    package var faultAtMeasurement: Int?
    private var measurements = 0
    /// Cold timing (nil: warm, every timed launch on ``operands``): how many copies of the
    /// operands a config's timed launches rotate through, from the bytes the config reads (the
    /// caller's cold protocol), so that a memory-bound search ranks its configs as the winner is
    /// reported. 1 or less times that config warm.
    package var coldCopies: ((SpMMConfig) -> Int)?
    /// Copies made so far, by the kernel's parameter roles and row-order knob: each set is
    /// replicated from ``operands`` after the first kernel of its kind bound there, so the copies
    /// hold that format's arrays (built once, on the host) and are copied device to device.
    private var rotations: [String: [DeviceOperands]] = [:]

    package init(
        device: GPUDevice, operands: DeviceOperands, verifier: Verifier, precision: ComputePrecision,
        warmup: Int = 3, iterations: Int = 10
    ) {
        self.device = device
        self.operands = operands
        self.verifier = verifier
        self.precision = precision
        self.warmup = warmup
        self.iterations = iterations
    }

    /// Renders every config once and compiles them together (in parallel, through the cache).
    package func prepare(_ configs: [SpMMConfig], for problem: SpMMProblem) {
        for config in configs where sources[config] == nil {
            sources[config] = try? KernelGen.render(problem, config, pattern: operands.host)
        }
        let seconds = device.precompile(configs.compactMap { sources[$0] })
        for config in configs {
            if let source = sources[config], let time = seconds[GPUDevice.compileKey(source)] { precompileSeconds[config] = time }
        }
    }

    /// `config` bound to the operands for use after the search (the winner): its source as
    /// rendered for the search, its compiled function from the device's cache.
    package func bind(_ config: SpMMConfig, for problem: SpMMProblem) throws -> BoundSpMMKernel {
        try BoundSpMMKernel(
            device: device, source: try sources[config] ?? KernelGen.render(problem, config, pattern: operands.host), config: config,
            operands: operands)
    }

    package func measure(_ config: SpMMConfig, for problem: SpMMProblem) -> Trial<SpMMConfig> {
        let source: KernelSource
        do {
            source = try sources[config] ?? KernelGen.render(problem, config, pattern: operands.host)
        } catch {
            return Trial(config: config, status: .invalid("\(error)"))
        }
        let clock = ContinuousClock()
        let loaded: GPUDevice.LoadedKernel
        let start = clock.now
        do {
            loaded = try device.load(source)
        } catch {
            return Trial(config: config, status: .compileError("\(error)"))
        }
        // The load (a module load after prepare's compile) plus that compile, once per config.
        let compileSeconds = (clock.now - start).seconds + (precompileSeconds.removeValue(forKey: config) ?? 0)
        do {
            try injectFaultIfDue()
            let kernel = try BoundSpMMKernel(device: device, source: source, config: config, loaded: loaded, operands: operands)
            let verdict = verifier.check(try kernel.checkedOutput(device: device), precision: precision)
            if let failure = verdict.failure {
                return Trial(
                    config: config, status: .wrongResult(relativeError: verdict.relativeError, detail: failure),
                    compileSeconds: compileSeconds)
            }
            let samples = try time(kernel, source: source, loaded: loaded, config: config)
            return Trial(
                config: config, status: .ok(seconds: Statistics.median(samples)), sampleSeconds: samples,
                compileSeconds: compileSeconds)
        } catch {
            noteFault(error)
            return Trial(config: config, status: .launchError("\(error)"), compileSeconds: compileSeconds)
        }
    }

    /// `kernel`'s timed samples: warm, or rotating over ``coldCopies`` copies of the operands.
    func time(_ kernel: BoundSpMMKernel, source: KernelSource, loaded: GPUDevice.LoadedKernel, config: SpMMConfig) throws -> [Double] {
        let wanted = coldCopies?(config) ?? 1
        guard wanted > 1 else { return try kernel.time(device: device, warmup: warmup, iterations: iterations) }
        let key = source.parameters.map(\.role.rawValue).sorted().joined(separator: ",") + " \(config.rowOrder)"
        var copies = rotations[key] ?? []
        while copies.count < wanted - 1 { copies.append(try operands.replica()) }
        rotations[key] = copies
        let kernels = try [kernel] + copies.prefix(wanted - 1).map {
            try BoundSpMMKernel(device: device, source: source, config: config, loaded: loaded, operands: $0)
        }
        return try LaunchTiming.rotatingSamples(stream: device.stream, copies: kernels.count, warmup: warmup, iterations: iterations) {
            try kernels[$0].launch.launch(on: device.stream)
        }
    }

    /// Counts a measurement, faulting the context when it is ``faultAtMeasurement``.
    func injectFaultIfDue() throws {
        measurements += 1
        if measurements == faultAtMeasurement { try device.launchFaultingKernel() }
    }

    /// Remembers a sticky fault as ``unusableReason``.
    func noteFault(_ error: any Error) {
        if unusableReason == nil, let error = error as? CUDAError, error.isStickyContextFault {
            unusableReason = "\(error); the CUDA context is unusable"
        }
    }
}
