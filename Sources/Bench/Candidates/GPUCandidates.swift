import Runtime
import CUDA
import KernelGen
import SparseFormats
import Tuner

/// How Sparrow's GPU candidate picks its kernel configuration.
public enum ConfigChoice: Sendable {
    /// A simple sweep: time up to `limit` configs of the Tuner's portfolio shortlist
    /// and keep the fastest correct one, until the tuner's search replaces this.
    case sweep(limit: Int, extra: [SpMMConfig] = [])
    /// One named configuration.
    case fixed(SpMMConfig)
}

/// Sparrow's generated SpMM on the GPU.
public final class SparrowGPUCandidate: SpMMCandidate {
    public let name: String
    public let role = CandidateRole.ours
    public let precision: ComputePrecision
    let device: GPUDevice
    let choice: ConfigChoice
    let rowOrdering: RowOrdering
    var kernel: BoundSpMMKernel?
    /// Every config the last sweep timed, with its median seconds (nil: wrong or failed).
    public private(set) var sweepLog: [SweepEntry] = []

    public init(device: GPUDevice, precision: ComputePrecision, choice: ConfigChoice, rowOrdering: RowOrdering = .identity, name: String? = nil) {
        self.device = device
        self.precision = precision
        self.choice = choice
        self.rowOrdering = rowOrdering
        self.name = name ?? "sparrow-\(precision.rawValue)"
    }

    public func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let type = precision.storage
        let spmm = try SpMMProblem.make(problem.matrix, m: problem.m, type: type, rowOrdering: rowOrdering, device: device.limits)
        let order = rowOrdering == .identity ? nil : RowOrder.byLengthDescending(problem.matrix).rows
        let operands = try DeviceOperands(device: device, w: problem.matrix, x: x, m: problem.m, type: type, rowOrder: order)
        sweepLog = []
        switch choice {
        case let .fixed(config):
            kernel = try BoundSpMMKernel(device: device, problem: spmm, config: config, operands: operands)
        case let .sweep(limit, extra):
            kernel = try sweep(spmm, operands: operands, reference: verifier.reference, limit: limit, extra: extra)
        }
    }

    /// Times the candidates of a small sweep and keeps the fastest whose output checks out.
    func sweep(
        _ spmm: SpMMProblem, operands: DeviceOperands, reference: [Double], limit: Int, extra: [SpMMConfig]
    ) throws -> BoundSpMMKernel {
        let (configs, rejected) = PortfolioShortlist.configs(for: spmm, limit: limit, extra: extra)
        for (config, error) in rejected {  // say why a named config was left out
            sweepLog.append(SweepEntry(config: config.identifier, medianSeconds: nil, detail: "not valid here: \(error)"))
        }
        device.precompile(configs.compactMap { try? KernelGen.render(spmm, $0) })
        var best: (BoundSpMMKernel, Double)?
        for config in configs {
            do {
                let k = try BoundSpMMKernel(device: device, problem: spmm, config: config, operands: operands)
                let y: [Float] = try k.checkedOutput(device: device)
                let error = ReferenceSpMM.relativeError(y, reference: reference)
                guard error <= precision.relativeTolerance else {
                    sweepLog.append(SweepEntry(config: config.identifier, medianSeconds: nil, detail: "relative error \(error)"))
                    continue
                }
                let t = Statistics.median(try k.time(device: device, warmup: 3, iterations: 10))
                sweepLog.append(SweepEntry(config: config.identifier, medianSeconds: t, detail: nil))
                if let current = best, current.1 <= t { continue }
                best = (k, t)
            } catch {
                sweepLog.append(SweepEntry(config: config.identifier, medianSeconds: nil, detail: "\(error)"))
            }
        }
        guard let best else {
            throw CUDAError.invalidArgument("no config of the sweep produced a correct result: \(sweepLog.prefix(3).map { "\($0.config): \($0.detail ?? "")" })")
        }
        return best.0
    }

    /// The chosen config's identifier, after `prepare`.
    public var chosenConfig: String? { kernel?.config.identifier }

    public var resources: String? { kernel?.resourceSummary }

    public func output() throws -> [Float] {
        guard let kernel else { throw CUDAError.invalidArgument("\(name): output() before prepare()") }
        return try kernel.checkedOutput(device: device)
    }

    public func time(warmup: Int, iterations: Int) throws -> [Double] {
        guard let kernel else { throw CUDAError.invalidArgument("\(name): time() before prepare()") }
        return try kernel.time(device: device, warmup: warmup, iterations: iterations)
    }

    public func release() { kernel = nil }
}

/// cuSPARSE CSR SpMM as a baseline, one algorithm and precision.
public final class CuSPARSECandidate: SpMMCandidate {
    public let name: String
    public let role = CandidateRole.baseline
    public let precision: ComputePrecision
    let device: GPUDevice
    let handle: CUSPARSEHandle
    let algorithm: CUSPARSESpMMAlgorithm
    var operands: DeviceOperands?
    var spmm: PreparedSpMM?

    public init(device: GPUDevice, handle: CUSPARSEHandle, precision: ComputePrecision, algorithm: CUSPARSESpMMAlgorithm) {
        self.device = device
        self.handle = handle
        self.precision = precision
        self.algorithm = algorithm
        name = "cusparse-\(precision.rawValue)-\(algorithm.shortName)"
    }

    public func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let type = precision.storage
        let ops = try DeviceOperands(device: device, w: problem.matrix, x: x, m: problem.m, type: type)
        let p: SpMMPrecision = type == .f16 ? .float16 : (type == .bf16 ? .bfloat16 : .float32)
        do {
            spmm = try PreparedSpMM(handle: handle, w: ops.deviceCSR, x: ops.x.address, y: ops.y.address, m: problem.m,
                                    precision: p, algorithm: algorithm)
        } catch let error as CUDAError where error.isUnsupported {
            throw CandidateSkipped("cuSPARSE: \(error)")
        }
        operands = ops
    }

    public func output() throws -> [Float] {
        guard let spmm, let operands else { throw CUDAError.invalidArgument("\(name): output() before prepare()") }
        try operands.poisonOutput(stream: device.stream)
        try spmm.run()
        try device.stream.synchronize()
        return try operands.output()
    }

    public func time(warmup: Int, iterations: Int) throws -> [Double] {
        guard let spmm else { throw CUDAError.invalidArgument("\(name): time() before prepare()") }
        return try GPUTiming.samples(stream: device.stream, warmup: warmup, iterations: iterations) { try spmm.run() }
    }

    public func release() {
        spmm = nil
        operands = nil
    }
}

/// Dense cuBLAS GEMM on W with its zeros, as a baseline.
public final class CuBLASCandidate: SpMMCandidate {
    public let name: String
    public let role = CandidateRole.baseline
    public let precision: ComputePrecision
    let device: GPUDevice
    let handle: CUBLASHandle
    let gemmPrecision: GemmPrecision
    var buffers: (w: DeviceBuffer<UInt8>, x: DeviceBuffer<UInt8>, y: DeviceBuffer<UInt8>)?
    var shape: (n: Int, k: Int, m: Int) = (0, 0, 0)

    public init(device: GPUDevice, handle: CUBLASHandle, precision: GemmPrecision) {
        self.device = device
        self.handle = handle
        gemmPrecision = precision
        switch precision {
        case .float32, .float32Pedantic: self.precision = .fp32
        case .tf32: self.precision = .tf32
        case .float16, .float16Float32Output: self.precision = .fp16
        }
        name = "cublas-\(precision == .float32 ? "fp32" : precision == .tf32 ? "tf32" : precision == .float16 ? "fp16" : precision.rawValue)"
    }

    var outputType: ElementType { gemmPrecision == .float16 ? .f16 : .f32 }

    public func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let w = problem.matrix
        guard w.rows > 0, w.columns > 0, problem.m > 0 else { throw CandidateSkipped("cuBLAS needs N, K, M > 0") }
        let input: ElementType = precision == .fp16 ? .f16 : .f32
        let dense = w.dense().storage
        let context = device.context
        buffers = (try DeviceBuffer(context: context, copying: ElementBytes.encode(dense, as: input)),
                   try DeviceBuffer(context: context, copying: ElementBytes.encode(x, as: input)),
                   try DeviceBuffer(context: context, count: ElementBytes.paddedByteCount(w.rows * problem.m, outputType)))
        shape = (w.rows, w.columns, problem.m)
    }

    func run() throws {
        guard let b = buffers else { throw CUDAError.invalidArgument("\(name): run before prepare()") }
        try handle.gemm(precision: gemmPrecision, n: shape.n, k: shape.k, m: shape.m, w: b.w.address, x: b.x.address, y: b.y.address)
    }

    public func output() throws -> [Float] {
        guard let b = buffers else { throw CUDAError.invalidArgument("\(name): output() before prepare()") }
        try b.y.fillWords(ElementBytes.nanWord(outputType), stream: device.stream)
        try run()
        try device.stream.synchronize()
        return Array(ElementBytes.decode(try b.y.download(), as: outputType).prefix(shape.n * shape.m))
    }

    public func time(warmup: Int, iterations: Int) throws -> [Double] {
        try GPUTiming.samples(stream: device.stream, warmup: warmup, iterations: iterations) { try run() }
    }

    public func release() { buffers = nil }
}
