import KernelGen

extension HandCostModel {
    /// Nanoseconds per instruction one warp issues back to back (about one a clock at ~1.6 GHz).
    static let warpIssueNs = 0.625

    /// ``estimatedNanoseconds(_:for:)`` for the specialised kernel (no index arrays: W is in the
    /// code). Terms, as in the header: the X rows each group loads once per distinct column of
    /// its rows (``SpMMProblem/expectedDistinctColumns(rows:)``, a random pattern's; the
    /// estimate cannot see what grouping rows by shared columns saves, so `o0` and `o1` tie and
    /// measurement decides) through the load/store units and from L2, plus Y; the warp
    /// instructions (a multiply-add per nonzero and column, a load per distinct column and vector,
    /// a broadcast load per nonzero for array values, the stores); and the latency of a block's
    /// straight-line code (two memory round trips plus its instructions issued by one warp),
    /// times the waves of blocks. The largest plus a quarter of the others.
    func specialisedEstimatedNanoseconds(_ config: SpecialisedConfig, for problem: SpMMProblem) -> Double {
        let device = problem.device
        let sms = Double(device.multiprocessorCount)
        let elementBytes = Double(problem.elementType.byteWidth)
        let nnz = Double(problem.nnz), m = Double(problem.m), n = Double(problem.n)
        let grid = config.gridDimensions(for: problem)
        let groups = Double(grid.x), tiles = Double(grid.y)
        let rowsNonzeros = Double(config.rowsPerBlock) * problem.meanRowLength
        let distinct = min(problem.expectedDistinctColumns(rows: config.rowsPerBlock), rowsNonzeros)
        let width = Double(config.vectorWidth), threads = Double(config.threads)
        let xBytes = groups * distinct * m * elementBytes
        let bytes = xBytes + n * m * elementBytes
        let arrayLoads = config.values == .array ? nnz * tiles * threads / 32 : 0
        let instructions = nnz * m / 32 + groups * distinct * m / (width * 32) + arrayLoads + 3 * n * m / (width * 32)
        let registers = 24 + config.rowsPerBlock * config.vectorWidth + 2 * config.vectorWidth
        var perSM = min(32, problem.residentThreadsPerSM / config.threads)
        perSM = max(1, min(perSM, device.registersPerMultiprocessor / (registers * config.threads)))
        let waves = max(1, groups * tiles / (sms * Double(perSM)))
        let blockInstructions = rowsNonzeros * (width + (config.values == .array ? 1 : 0)) + distinct
        let latency = waves * (2 * Model.latency + blockInstructions * Self.warpIssueNs)
        return Self.combine([
            latency, bytes / (sms * Model.bytesPerSMPerNs), xBytes / (sms * Model.l2BytesPerSMPerNs),
            instructions / (sms * Model.instructionsPerSMPerNs),
        ])
    }
}
