import SparseFormats

extension KernelGen {
    /// Renders the CUDA C source and launch geometry of `config` for `problem`.
    ///
    /// Pure and deterministic: the same inputs give the same text. Throws when the config
    /// breaks a rule for this problem or device (see ``SpMMConfig/validate(for:)``). `pattern`
    /// is W itself, which the specialised family writes into its source (it throws without it,
    /// or given another matrix than the problem's); the other families ignore it.
    package static func render(
        _ problem: SpMMProblem, _ config: SpMMConfig, pattern: CSRMatrix<Float>? = nil
    ) throws(ConfigError) -> KernelSource {
        try config.validate(for: problem)
        // A config's row-order knob: its kernel reads the permutation like the problem's would.
        let problem = problem.ordered(for: config)
        let family = config.familyConfig
        let entryPoint = "sparrow_spmm_\(problem.elementType.rawValue)_\(config.identifier)"
        let body = try family.renderBody(problem, entryPoint: entryPoint, pattern: pattern)
        let grid = family.gridDimensions(for: problem)
        let block = family.blockDimensions
        let sharedBytes = family.sharedMemoryBytes(for: problem)
        let header = headerComment(problem, config, grid: grid, block: block, sharedBytes: sharedBytes)
        return KernelSource(
            source: header + body, entryPoint: entryPoint, grid: grid, block: block,
            dynamicSharedMemoryBytes: sharedBytes, parameters: family.parameters(for: problem),
            minimumComputeCapability: family.minimumComputeCapability, requiredPointerAlignment: 16,
            generatorVersion: generatorVersion)
    }

    /// The first lines of every kernel: enough to reproduce it from a dump.
    static func headerComment(
        _ problem: SpMMProblem, _ config: SpMMConfig, grid: LaunchDimensions, block: LaunchDimensions,
        sharedBytes: Int
    ) -> String {
        let digest = String(problem.patternDigest, radix: 16)
        let pattern = String(repeating: "0", count: 16 - digest.count) + digest
        return """
            // spmm n=\(problem.n) k=\(problem.k) m=\(problem.m) nnz=\(problem.nnz) dtype=\(problem.elementType.rawValue) \
            cfg=\(config) pattern=\(pattern)
            // sparrow kernelgen v\(generatorVersion) acc=\(problem.accumulator.rawValue) \
            epilogue=\(problem.epilogue.rawValue) rows=\(problem.rowOrdering.rawValue) \
            max_row=\(problem.maxRowLength) sm=\(problem.device.computeCapability.architecture) \
            grid=\(grid) block=\(block) smem=\(sharedBytes)

            """
    }

    /// The CSR families' parameters in declaration order; optional ones appear only when the problem
    /// uses them (`bias` for a bias epilogue, `residual` for bias + residual, `rowOrder` for a
    /// non-identity row ordering).
    package static func parameters(for problem: SpMMProblem) -> [KernelParameter] {
        let element = ElementCode.pointerKind(problem.elementType)
        var list = [
            KernelParameter(.rows, kind: .int32),
            KernelParameter(.columnsOfX, kind: .int32),
            KernelParameter(.rowOffsets, kind: .pointerInt32),
            KernelParameter(.columnIndices, kind: .pointerInt32),
            KernelParameter(.values, kind: element),
            KernelParameter(.x, kind: element),
        ]
        if problem.epilogue.hasBias { list.append(KernelParameter(.bias, kind: element)) }
        if problem.epilogue.hasResidual { list.append(KernelParameter(.residual, kind: element)) }
        if problem.rowOrdering != .identity { list.append(KernelParameter(.rowOrder, kind: .pointerInt32)) }
        list.append(KernelParameter(.y, kind: element))
        return list
    }

    /// The fused epilogue applied to an fp32 accumulator expression. ReLU keeps NaN (`v < 0 ? 0 : v`)
    /// so that poisoned inputs stay visible, as in PyTorch. `residual` is the fp32 expression of
    /// the residual element at the same (row, col) (bias + residual only). GELU is the exact one
    /// (erff, as PyTorch's `gelu(approximate="none")`): `0.5 v (1 + erf(v / sqrt 2))`.
    static func epilogueExpression(_ epilogue: Epilogue, _ value: String, residual: String = "") -> String {
        switch epilogue {
        case .none: value
        case .bias: "\(value) + b"
        case .reLU: "(\(value) < 0.0f ? 0.0f : \(value))"
        case .biasReLU: "(\(value) + b < 0.0f ? 0.0f : \(value) + b)"
        case .biasGELU: "0.5f * (\(value) + b) * (1.0f + erff((\(value) + b) * 0.70710678118654752f))"
        case .biasResidual: "\(value) + b + \(residual)"
        }
    }
}
