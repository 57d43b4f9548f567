import CUDA
import KernelGen
import SparseFormats

/// How one linear layer runs on the GPU.
package enum GPULinearKernel: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Sparrow's generated SpMM over W's nonzeros with the epilogue fused.
    case sparse(SpMMConfig)
    /// cuBLAS GEMM over dense W, then the epilogue kernel.
    case dense

    package var description: String {
        switch self {
        case let .sparse(config): "spmm \(config.identifier)"
        case .dense: "cublas"
        }
    }
}

/// A linear layer's weights on the device, feature-major: `Y (outputs x T) = epilogue(W X + b)`
/// for X of `inputs x T`, W kept as CSR (for the SpMM kernels) and, when asked, dense (cuBLAS).
package final class GPULinear {
    package let name: String
    package let outputs: Int
    package let inputs: Int
    package let sparsity: Double
    package let epilogue: Epilogue
    package let type: ElementType
    /// W's pattern and values on the host: the specialised family writes them into its source.
    package let pattern: CSRMatrix<Float>
    /// W as CSR on the device (int32 offsets and indices, values in `type`), as the SpMM kernels
    /// and the encoder's fused kernels bind it.
    package let rowOffsets: DeviceBuffer<Int32>
    package let columnIndices: DeviceBuffer<Int32>
    package let values: DeviceBuffer<UInt8>
    /// W dense (row-major, `type`), when kept: for cuBLAS and the encoder's tensor-core kernels.
    package let dense: DeviceBuffer<UInt8>?
    /// The bias (`outputs` elements of `type`), for a kernel after the layer that adds it.
    package let bias: DeviceBuffer<UInt8>

    /// Uploads W (row-major `outputs x inputs`) and the bias in `type`; `keepDense`: also W dense.
    package init(
        device: GPUDevice, name: String, weight: DenseMatrix<Float>, bias hostBias: [Float], epilogue: Epilogue,
        type: ElementType, keepDense: Bool
    ) throws {
        precondition(epilogue.hasBias && hostBias.count == weight.rows, "GPULinear \(name): one bias per output")
        let context = device.context
        self.name = name
        outputs = weight.rows
        inputs = weight.columns
        self.epilogue = epilogue
        self.type = type
        let csr = try CSRMatrix(weight)
        pattern = csr
        sparsity = weight.storage.isEmpty ? 0 : 1 - Double(csr.nnz) / Double(weight.storage.count)
        rowOffsets = try DeviceBuffer(context: context, copying: csr.rowOffsets)
        columnIndices = try DeviceBuffer(context: context, copying: csr.columnIndices.isEmpty ? [0] : csr.columnIndices)
        values = try DeviceBuffer(context: context, copying: ElementBytes.encode(csr.values.isEmpty ? [0] : csr.values, as: type))
        dense = keepDense ? try DeviceBuffer(context: context, copying: ElementBytes.encode(weight.storage, as: type)) : nil
        bias = try DeviceBuffer(context: context, copying: ElementBytes.encode(hostBias, as: type))
    }

    /// KernelGen's problem for this layer over `tokens` columns, with `epilogue` fused.
    package func problem(tokens: Int, epilogue: Epilogue, device: GPUDevice) throws -> SpMMProblem {
        try SpMMProblem.make(pattern, m: tokens, type: type, epilogue: epilogue, device: device.limits)
    }

    /// The launches of this layer for `tokens` columns between fixed buffers (device addresses):
    /// `x` (inputs x T), `y` (outputs x T), `residual` (outputs x T, for bias + residual).
    /// `epilogue` replaces the layer's own: `.none` leaves `y = W x` for a later kernel that adds
    /// the bias (and residual) itself; the GEMM then runs alone, with no epilogue kernel.
    /// `dependent`: Sparrow's kernel (the SpMM, or the epilogue kernel after a GEMM) is a
    /// programmatic dependent launch (``KernelSource/waitingForPreviousGrid()``); cuBLAS's is not.
    package func bind(
        _ kernel: GPULinearKernel, device: GPUDevice, cublas: CUBLASHandle?, tokens: Int, x: UInt64, y: UInt64, residual: UInt64?,
        epilogue override: Epilogue? = nil, dependent: Bool = false
    ) throws -> BoundLinear {
        let epilogue = override ?? self.epilogue
        guard !epilogue.hasResidual || residual != nil else {
            throw CUDAError.invalidArgument("\(name): the bias + residual epilogue needs a residual buffer")
        }
        switch kernel {
        case let .sparse(config):
            let rendered = try KernelGen.render(
                try problem(tokens: tokens, epilogue: epilogue, device: device), config, pattern: pattern)
            guard let source = dependent ? rendered.waitingForPreviousGrid() : rendered else {
                throw CUDAError.invalidArgument("\(name): no kernel definition of \(rendered.entryPoint) to make wait for the previous grid")
            }
            let arguments: [KernelArgument] = try source.parameters.map { p in
                switch p.role {
                case .rows: .int32(Int32(outputs))
                case .columnsOfX: .int32(Int32(tokens))
                case .rowOffsets: .buffer(rowOffsets)
                case .columnIndices: .buffer(columnIndices)
                case .values: .buffer(values)
                case .x: .pointer(x)
                case .y: .pointer(y)
                case .bias: .buffer(bias)
                case .residual: .pointer(residual ?? 0)
                case .rowOrder: throw CUDAError.invalidArgument("\(name): the encoder's layers keep rows in order")
                case .columnIndices16, .deltaOffsets, .deltaNibbles, .deltaValues, .bitmapMasks, .bitmapOffsets, .bitmapValues,
                     .twoFourValues, .twoFourMetadata, .fragmentCOOOffsets, .fragmentCOOPositions, .fragmentCOOValues,
                     .splitPartials, .splitCounters:
                    throw CUDAError.invalidArgument("\(name): the encoder's layers hold W as CSR, not in a compact format")
                }
            }
            return BoundLinear(kernel: kernel, launches: [try device.prepare(source, arguments: arguments, dependent: dependent)], gemm: nil)
        case .dense:
            guard let dense, let cublas else { throw CUDAError.invalidArgument("\(name): no dense copy or cuBLAS handle for the dense kernel") }
            let precision: GemmPrecision = type == .f16 ? .float16 : .float32
            let (outputs, inputs, w) = (self.outputs, self.inputs, dense.address)
            let gemm = { try cublas.gemm(precision: precision, n: outputs, k: inputs, m: tokens, w: w, x: x, y: y) }
            guard epilogue != .none else { return BoundLinear(kernel: kernel, launches: [], gemm: gemm) }
            let source = EncoderKernels.biasEpilogue(type: type, epilogue: epilogue, rows: outputs, tokens: tokens)
            var arguments: [KernelArgument] = [.pointer(y), .buffer(bias)]
            if epilogue.hasResidual { arguments.append(.pointer(residual ?? 0)) }
            arguments += [.int64(Int64(outputs * tokens)), .int32(Int32(tokens))]
            let launch = try device.prepare(source, arguments: arguments, dependent: dependent)
            return BoundLinear(kernel: kernel, launches: [launch], gemm: gemm)
        }
    }
}

/// A linear layer bound to its buffers: the GEMM (dense) then the launches, queued on the device's stream.
package struct BoundLinear {
    package let kernel: GPULinearKernel
    let launches: [PreparedLaunch]
    let gemm: (() throws -> Void)?

    package func run() throws {
        try gemm?()
        for launch in launches { try launch.launch() }
    }
}
