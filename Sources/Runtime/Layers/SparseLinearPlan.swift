import CPUKernels
import Foundation
import KernelGen
import SparseFormats
import Tuner

/// What planning a sparse linear layer chose, and what it measured.
public struct LinearPlanReport: Sendable, Codable, Hashable {
    /// `gpu: NVIDIA H200 (sm_90, 132 SMs)` or `cpu: ...`.
    public var device: String
    /// Why the CPU runs when a GPU was wanted (nil otherwise).
    public var fallbackReason: String?
    /// The chosen kernel: a GPU config id (`r8.t32.c256.v4.k64.db0.u8`) or a CPU plan (`cpu.t2.c8.p32.avx512.v8.d4.nt0.g0`).
    public var kernel: String
    /// Candidates the tuner measured, and how many of them were correct.
    public var measured: Int
    public var correct: Int
    /// The chosen kernel's median time at the planned width, in seconds.
    public var seconds: Double
    /// Wall time of planning, compile and measurement included, in seconds.
    public var planningSeconds: Double
}

/// Y = W X (+ bias per output row) for a fixed sparse W, planned once for X of `m` columns and
/// then applied to any X of that shape, on the GPU (a kernel the tuner chose among the generated
/// ones) or the CPU (the SIMD plan the tuner chose among the CPU plan's choices).
///
/// Planning checks every candidate against the Float64 reference on seeded operands, so an
/// applied layer never uses a kernel that was not verified on this device.
package final class SparseLinearPlan {
    package let weights: CSRMatrix<Float>
    package let bias: [Float]?
    /// Columns of X and Y.
    package let m: Int
    package let report: LinearPlanReport
    private let engine: Engine

    private enum Engine {
        case gpu(GPUDevice, BoundSpMMKernel)
        case cpu(CPUSpMMPlan, CPUEpilogue)
    }

    /// Plans the layer on `device` (``DeviceRequest/resolve(note:)`` first); `shortlist` is how
    /// many GPU configs the tuner measures.
    package init(
        weights: CSRMatrix<Float>, bias: [Float]? = nil, m: Int, device: SelectedDevice, shortlist: Int = 16
    ) throws {
        if let bias, bias.count != weights.rows {
            throw SparseFormatError.shapeMismatch(operation: "linear bias", left: weights.shape, right: [bias.count])
        }
        guard m >= 1 else { throw SparseFormatError.shapeMismatch(operation: "linear width", left: weights.shape, right: [m]) }
        self.weights = weights
        self.bias = bias
        self.m = m
        let started = ContinuousClock.now
        var generator = SeededGenerator(label: "linear-plan/\(weights.patternDigest.value)/\(m)")
        let x: [Float] = generator.signedUnitValues(weights.columns * m)
        let xMatrix = try DenseMatrix(rows: weights.columns, columns: m, storage: x)
        let elapsed = { (ContinuousClock.now - started).seconds }
        switch device {
        case let .gpu(gpu):
            let problem = try SpMMProblem.make(
                weights, m: m, type: .f32, epilogue: bias == nil ? .none : .bias, device: gpu.limits)
            let operands = try DeviceOperands(device: gpu, w: weights, x: x, m: m, type: .f32, bias: bias)
            // The kernel fuses the bias: check it against the reference with the bias.
            let verifier = try Verifier(w: weights, x: xMatrix, bias: bias?.map(Double.init))
            let measurer = GPUSpMMMeasurer(device: gpu, operands: operands, verifier: verifier, precision: .fp32)
            let search = Search(space: SpMMSpace(), strategy: PortfolioShortlist.strategy(limit: shortlist))
            let result = try search.run(for: problem, measurer: measurer, sink: MemoryTrialSink())
            let kernel = try measurer.bind(result.config, for: problem)
            engine = .gpu(gpu, kernel)
            report = LinearPlanReport(
                device: "gpu: \(gpu.summary)", fallbackReason: nil, kernel: result.config.description,
                measured: result.trials.count, correct: result.trials.filter(\.isCorrect).count,
                seconds: result.best.seconds ?? .nan, planningSeconds: elapsed())
        case let .cpu(reason):
            let problem = CPUSpMMProblem(weights, m: m)
            // The CPU plan applies the bias after the product (CPUEpilogue); the measurer checks
            // the product itself. The defaults are today's measured choice; the space is there
            // for the tuner to search.
            let measurer = CPUSpMMMeasurer(w: weights, x: x, m: m, verifier: try Verifier(w: weights, x: xMatrix))
            let search = Search(space: CPUPlanSpace(), strategy: FixedList([.defaults(cores: problem.cores)]))
            let result = try search.run(for: problem, measurer: measurer, sink: MemoryTrialSink())
            engine = .cpu(CPUSpMMPlan(csr: weights, options: result.config.options), CPUEpilogue(bias: bias))
            report = LinearPlanReport(
                device: "cpu: \(CPUWorkerPool.onlineCores) cores", fallbackReason: reason, kernel: result.config.description,
                measured: result.trials.count, correct: result.trials.filter(\.isCorrect).count,
                seconds: result.best.seconds ?? .nan, planningSeconds: elapsed())
        }
    }

    /// Y = W X (+ bias) for X of K x m (row-major); Y is N x m.
    package func apply(_ x: DenseMatrix<Float>) throws -> DenseMatrix<Float> {
        guard x.rows == weights.columns, x.columns == m else {
            throw SparseFormatError.shapeMismatch(operation: "linear W x X (planned for m = \(m))", left: weights.shape, right: x.shape)
        }
        switch engine {
        case let .gpu(device, kernel):
            try kernel.operands.upload(x: x.storage)
            return try DenseMatrix(rows: weights.rows, columns: m, storage: try kernel.checkedOutput(device: device))
        case let .cpu(plan, epilogue):
            return try plan.multiply(x, epilogue: epilogue)
        }
    }
}
