import CUDA
import KernelGen
import SparseFormats
import Tuner

/// Measures attention configs on a GPU for the tuner (the second op beside ``GPUSpMMMeasurer``):
/// renders a config's kernels for the op's pattern, compiles them through the device's cache,
/// binds them to the operands, checks the output on the reference's rows with the one
/// ``Verifier`` and times all of a config's launches with the one timer.
///
/// An illegal config is an `invalid` trial, a failed compile a `compileError`, a launch that
/// fails a `launchError`, an output off the reference a `wrongResult`; only a correct config is
/// timed. Nothing here decides which config wins.
package final class GPUAttentionMeasurer: Measurer {
    package typealias Problem = AttentionTuningProblem
    package typealias Config = AttentionConfig

    package let op: GPUSparseAttention
    let operands: GPUAttentionOperands
    let reference: ReferenceAttention
    let verifier: Verifier
    let precision: ComputePrecision
    package let warmup: Int, iterations: Int
    /// The checked rows (the reference's, gathered from the output) of every correct config.
    package private(set) var checkedRows: [AttentionConfig: [Float]] = [:]
    package private(set) var unusableReason: String?

    package init(op: GPUSparseAttention, operands: GPUAttentionOperands, reference: ReferenceAttention, warmup: Int = 3, iterations: Int = 10) {
        self.op = op
        self.operands = operands
        self.reference = reference
        verifier = Verifier(reference: reference.output)
        precision = ComputePrecision(storage: op.problem.elementType)
        self.warmup = warmup
        self.iterations = iterations
    }

    /// The tuning problem of the op this measurer runs.
    package var problem: AttentionTuningProblem { AttentionTuningProblem(problem: op.problem, shape: op.shape) }

    package func prepare(_ configs: [AttentionConfig], for problem: AttentionTuningProblem) {
        op.device.precompile(configs.flatMap { (try? op.sources($0)) ?? [] })
    }

    package func measure(_ config: AttentionConfig, for problem: AttentionTuningProblem) -> Trial<AttentionConfig> {
        guard problem == self.problem else { return Trial(config: config, status: .invalid("measurer bound to \(self.problem), asked for \(problem)")) }
        let sources: [KernelSource]
        do {
            sources = try op.sources(config)
        } catch {
            return Trial(config: config, status: .invalid("\(error)"))
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            for source in sources { _ = try op.device.load(source) }
        } catch {
            return Trial(config: config, status: .compileError("\(error)"))
        }
        let compileSeconds = (clock.now - start).seconds
        do {
            let bound = try op.bind(config, operands: operands)
            let rows = reference.gather(try bound.checkedOutput(device: op.device))
            let verdict = verifier.check(rows, precision: precision)
            if let failure = verdict.failure {
                return Trial(config: config, status: .wrongResult(relativeError: verdict.relativeError, detail: failure), compileSeconds: compileSeconds)
            }
            checkedRows[config] = rows
            let samples = try bound.time(device: op.device, warmup: warmup, iterations: iterations)
            return Trial(config: config, status: .ok(seconds: Statistics.median(samples)), sampleSeconds: samples, compileSeconds: compileSeconds)
        } catch {
            if unusableReason == nil, let error = error as? CUDAError, error.isStickyContextFault {
                unusableReason = "\(error); the CUDA context is unusable"
            }
            return Trial(config: config, status: .launchError("\(error)"), compileSeconds: compileSeconds)
        }
    }
}
