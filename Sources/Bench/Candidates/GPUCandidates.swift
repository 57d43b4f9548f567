import Runtime
import CUDA
import KernelGen
import SparseFormats
import Tuner

/// How Sparrow's GPU candidate picks its kernel configuration.
package enum ConfigChoice: Sendable {
    /// The tuner's search with today's strategy: at most `limit` configs of the measured
    /// portfolio and the hand model's ranking (`Int.max`: every config of the space), plus the
    /// user's `extra` configs; the fastest correct one wins.
    case search(limit: Int, extra: [SpMMConfig] = [])
    /// One named configuration.
    case fixed(SpMMConfig)
    /// The tuner's search within one family: its measured winners where it has some, the hand
    /// model's `limit` best configs of that family's section of the space, and the `extra` configs
    /// of that family; the fastest correct one wins.
    case family(SpMMConfig.Family, limit: Int, extra: [SpMMConfig] = [])
}

/// Sparrow's generated SpMM on the GPU: the Tuner chooses the config, Runtime's measurer
/// compiles, checks and times each candidate, and the winner is bound for timing.
package final class SparrowGPUCandidate: SpMMCandidate {
    package let name: String
    package let role = CandidateRole.ours
    package let precision: ComputePrecision
    let device: GPUDevice
    let choice: ConfigChoice
    let rowOrdering: RowOrdering
    /// The space the search chooses from.
    let space: SpMMSpace
    /// Tuned configs to use instead of the search, when the database holds one for the problem.
    let recall: TunedConfigRecall?
    var kernel: BoundSpMMKernel?
    /// The row order the chosen kernel's operands were prepared with (the search's knob).
    package private(set) var chosenOrdering: RowOrdering = .identity
    /// Time cold (``ColdRotation``): `kernel` bound to further copies of the operands.
    let cold: Bool
    var copies: [BoundSpMMKernel] = []
    package private(set) var weightBytes: Double?
    /// Where the last prepared kernel's config came from.
    package private(set) var configOrigin: ConfigOrigin?
    /// Every config the last search tried, with its median seconds (nil: wrong, failed or rejected).
    package private(set) var sweepLog: [SweepEntry] = []

    package init(
        device: GPUDevice, precision: ComputePrecision, choice: ConfigChoice, rowOrdering: RowOrdering = .identity,
        recall: TunedConfigRecall? = nil, name: String? = nil, cold: Bool = false, space: SpMMSpace = SpMMSpace()
    ) {
        self.space = space
        self.device = device
        self.precision = precision
        self.cold = cold
        self.choice = choice
        self.rowOrdering = rowOrdering
        self.recall = recall
        self.name = name ?? "sparrow-\(precision.rawValue)"
    }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        try choose(problem, x: x, verifier: verifier)
        guard let kernel else { return }
        let bytes = WeightBytes.of(kernel.config, problem.matrix, elementBytes: precision.storage.byteWidth)
        weightBytes = bytes
        // The winner is timed over copies of its operands when cold, as the search timed it (device
        // copies of the bound operands: W's format arrays are not built again).
        copies = [kernel]
        for _ in 1..<ColdRotation.copies(bytesPerCopy: bytes, cold: cold) {
            copies.append(try BoundSpMMKernel(
                device: device, source: kernel.source, config: kernel.config, loaded: kernel.loaded, operands: kernel.operands.replica()))
        }
    }

    package var coldCopies: Int { max(1, copies.count) }

    func choose(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        if case .family(.twoFour, _, _) = choice, !problem.matrix.keepsAtMost(2, of: 4) {
            throw CandidateSkipped("W is not 2:4 (some run of 4 columns holds more than 2 entries)")
        }
        let type = precision.storage
        let spmm = try SpMMProblem.make(problem.matrix, m: problem.m, type: type, rowOrdering: rowOrdering, device: device.limits)
        let order = rowOrdering.rowOrder(for: problem.matrix)?.rows
        let operands = try DeviceOperands(device: device, w: problem.matrix, x: x, m: problem.m, type: type, rowOrder: order)
        sweepLog = []
        chosenOrdering = rowOrdering
        // A tuned config of this problem replaces the search (not a study of named configs).
        if case let .search(_, extra) = choice, extra.isEmpty, let tuned = recall?.config(for: spmm) {
            kernel = try BoundSpMMKernel(device: device, problem: spmm, config: tuned, operands: operands)
            configOrigin = .tuned
            return
        }
        guard let search = choice.search(in: space) else {
            if case let .fixed(config) = choice {
                kernel = try BoundSpMMKernel(device: device, problem: spmm, config: config, operands: operands)
                configOrigin = .fixed
            }
            return
        }
        let measurer = searchMeasurer(problem, operands: operands, verifier: verifier)
        let sink = MemoryTrialSink<SpMMProblem, SpMMConfig>()
        let result: SearchResult<SpMMConfig>
        do {
            result = try search.run(for: spmm, measurer: measurer, sink: sink)
        } catch {
            throw CUDAError.invalidArgument("\(name): \(error)")
        }
        // Say why a named config was left out, then every trial in order.
        sweepLog = result.rejected.map {
            SweepEntry(config: $0.config.identifier, medianSeconds: nil, detail: "not valid here: \($0.error)")
        }
        sweepLog += result.trials.map { SweepEntry(trial: $0) }
        kernel = try measurer.bind(result.config, for: spmm)
        configOrigin = .search
        let best = result.trials.first { $0.config == result.config }?.seconds
        let locality = try localityRetrial(problem, x: x, verifier: verifier, trials: result.trials, best: best)
        sweepLog += locality.log
        if let reordered = locality.kernel {
            kernel = reordered
            chosenOrdering = .locality
        }
    }

    /// A measurer for the search over `operands`: when cold, each config's timed launches rotate
    /// over as many copies of the operands as ``ColdRotation`` asks for the bytes that config reads,
    /// so a memory-bound search ranks configs under the protocol the winner is reported with.
    func searchMeasurer(_ problem: SpMMBenchProblem, operands: DeviceOperands, verifier: Verifier) -> GPUSpMMMeasurer {
        let measurer = GPUSpMMMeasurer(device: device, operands: operands, verifier: verifier, precision: precision)
        if cold {
            let matrix = problem.matrix, elementBytes = precision.storage.byteWidth
            measurer.coldCopies = { ColdRotation.copies(bytesPerCopy: WeightBytes.of($0, matrix, elementBytes: elementBytes), cold: true) }
        }
        return measurer
    }

    /// The chosen config's identifier, after `prepare` (`@locality` when its rows are grouped by shared columns).
    package var chosenConfig: String? {
        kernel.map { $0.config.identifier + (chosenOrdering == .locality && rowOrdering != .locality ? "@locality" : "") }
    }

    package var resources: String? { kernel?.resourceSummary }

    package func output() throws -> [Float] {
        guard let kernel else { throw CUDAError.invalidArgument("\(name): output() before prepare()") }
        return try kernel.checkedOutput(device: device)
    }

    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        guard kernel != nil, !copies.isEmpty else { throw CUDAError.invalidArgument("\(name): time() before prepare()") }
        return try LaunchTiming.rotatingSamples(stream: device.stream, copies: copies.count, warmup: warmup, iterations: iterations) {
            try copies[$0].launch.launch(on: device.stream)
        }
    }

    package func release() {
        kernel = nil
        copies = []
    }
}

/// cuSPARSE CSR SpMM as a baseline, one algorithm and precision.
package final class CuSPARSECandidate: SpMMCandidate {
    package let name: String
    package let role = CandidateRole.baseline
    package let precision: ComputePrecision
    let device: GPUDevice
    let handle: CUSPARSEHandle
    let algorithm: CUSPARSESpMMAlgorithm
    var operands: DeviceOperands?
    var spmm: PreparedSpMM?
    /// Time cold (``ColdRotation``): the same SpMM prepared on further copies of the operands.
    let cold: Bool
    var copies: [(operands: DeviceOperands, spmm: PreparedSpMM)] = []
    package private(set) var weightBytes: Double?

    package init(
        device: GPUDevice, handle: CUSPARSEHandle, precision: ComputePrecision, algorithm: CUSPARSESpMMAlgorithm,
        cold: Bool = false
    ) {
        self.cold = cold
        self.device = device
        self.handle = handle
        self.precision = precision
        self.algorithm = algorithm
        name = "cusparse-\(precision.rawValue)-\(algorithm.shortName)"
    }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let type = precision.storage
        let p: SpMMPrecision = type == .f16 ? .float16 : (type == .bf16 ? .bfloat16 : .float32)
        let bytes = WeightBytes.csr(problem.matrix, elementBytes: type.byteWidth)
        weightBytes = bytes
        copies = []
        for _ in 0..<ColdRotation.copies(bytesPerCopy: bytes, cold: cold) {
            let ops = try DeviceOperands(device: device, w: problem.matrix, x: x, m: problem.m, type: type)
            do {
                copies.append((ops, try PreparedSpMM(
                    handle: handle, w: ops.deviceCSR, x: ops.x.address, y: ops.y.address, m: problem.m, precision: p,
                    algorithm: algorithm)))
            } catch let error as CUDAError where error.isUnsupported {
                throw CandidateSkipped("cuSPARSE: \(error)")
            }
        }
        operands = copies.first?.operands
        spmm = copies.first?.spmm
    }

    package var coldCopies: Int { max(1, copies.count) }

    package func output() throws -> [Float] {
        guard let spmm, let operands else { throw CUDAError.invalidArgument("\(name): output() before prepare()") }
        try operands.poisonOutput(stream: device.stream)
        try spmm.run()
        try device.stream.synchronize()
        return try operands.output()
    }

    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        guard !copies.isEmpty else { throw CUDAError.invalidArgument("\(name): time() before prepare()") }
        return try LaunchTiming.rotatingSamples(stream: device.stream, copies: copies.count, warmup: warmup, iterations: iterations) {
            try copies[$0].spmm.run()
        }
    }

    package func release() {
        spmm = nil
        operands = nil
        copies = []
    }
}

/// Dense cuBLAS GEMM on W with its zeros, as a baseline.
package final class CuBLASCandidate: SpMMCandidate {
    package let name: String
    package let role = CandidateRole.baseline
    package let precision: ComputePrecision
    let device: GPUDevice
    let handle: CUBLASHandle
    let gemmPrecision: GemmPrecision
    var buffers: (w: DeviceBuffer<UInt8>, x: DeviceBuffer<UInt8>, y: DeviceBuffer<UInt8>)?
    var shape: (n: Int, k: Int, m: Int) = (0, 0, 0)
    /// Time cold (``ColdRotation``): further copies of dense W the timed launches rotate through.
    let cold: Bool
    var copies: [DeviceBuffer<UInt8>] = []
    package private(set) var weightBytes: Double?

    package init(device: GPUDevice, handle: CUBLASHandle, precision: GemmPrecision, cold: Bool = false) {
        self.cold = cold
        self.device = device
        self.handle = handle
        gemmPrecision = precision
        switch precision {
        case .float32, .float32Pedantic: self.precision = .fp32
        case .tf32: self.precision = .tf32
        case .float16, .float16Float32Output: self.precision = .fp16
        case .bfloat16: self.precision = .bf16
        }
        name = "cublas-\(precision == .float32 ? "fp32" : precision == .tf32 ? "tf32" : precision == .float16 ? "fp16" : precision == .bfloat16 ? "bf16" : precision.rawValue)"
    }

    var outputType: ElementType { gemmPrecision == .float16 ? .f16 : gemmPrecision == .bfloat16 ? .bf16 : .f32 }

    package func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
        let w = problem.matrix
        guard w.rows > 0, w.columns > 0, problem.m > 0 else { throw CandidateSkipped("cuBLAS needs N, K, M > 0") }
        let input: ElementType = precision == .fp16 ? .f16 : precision == .bf16 ? .bf16 : .f32
        let context = device.context
        let weights = try DeviceBuffer(context: context, copying: ElementBytes.encode(w.dense().storage, as: input))
        buffers = (weights,
                   try DeviceBuffer(context: context, copying: ElementBytes.encode(x, as: input)),
                   try DeviceBuffer(context: context, count: ElementBytes.paddedByteCount(w.rows * problem.m, outputType)))
        shape = (w.rows, w.columns, problem.m)
        let bytes = WeightBytes.dense(w, elementBytes: input.byteWidth)
        weightBytes = bytes
        // Cold copies of W on the device, copied device to device (W is encoded and uploaded once).
        copies = [weights]
        for _ in 1..<ColdRotation.copies(bytesPerCopy: bytes, cold: cold) { copies.append(try weights.duplicate()) }
    }

    package var coldCopies: Int { max(1, copies.count) }

    func run(copy: Int = 0) throws {
        guard let b = buffers else { throw CUDAError.invalidArgument("\(name): run before prepare()") }
        let w = copies.isEmpty ? b.w : copies[copy % copies.count]
        try handle.gemm(precision: gemmPrecision, n: shape.n, k: shape.k, m: shape.m, w: w.address, x: b.x.address, y: b.y.address)
    }

    package func output() throws -> [Float] {
        guard let b = buffers else { throw CUDAError.invalidArgument("\(name): output() before prepare()") }
        try b.y.fillWords(ElementBytes.nanWord(outputType), stream: device.stream)
        try run()
        try device.stream.synchronize()
        return Array(ElementBytes.decode(try b.y.download(), as: outputType).prefix(shape.n * shape.m))
    }

    package func time(warmup: Int, iterations: Int) throws -> [Double] {
        try LaunchTiming.rotatingSamples(stream: device.stream, copies: coldCopies, warmup: warmup, iterations: iterations) {
            try run(copy: $0)
        }
    }

    package func release() {
        buffers = nil
        copies = []
    }
}
