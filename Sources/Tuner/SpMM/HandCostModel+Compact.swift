import KernelGen

extension HandCostModel {
    /// Memory bytes per ns of the whole device (an H200 copies about 4.2 TB/s).
    static let deviceBytesPerNs = 4200.0

    /// ``estimatedNanoseconds(_:for:)`` for the compact kernel: the largest of the bytes of W in
    /// its format over memory bandwidth, the X rows read from shared memory over the load/store
    /// units, the staging of X (every block reads all of X once from L2), and the latency chain of
    /// one warp (its segments' rounds of one dependent load each, plus two barriers per chunk);
    /// plus a quarter of the others, as in the header.
    func compactEstimatedNanoseconds(_ config: CompactConfig, for problem: SpMMProblem) -> Double {
        let sms = Double(problem.device.multiprocessorCount)
        let elementBytes = Double(problem.elementType.byteWidth)
        let nnz = Double(problem.nnz), m = Double(problem.m), n = Double(problem.n), k = Double(problem.k)
        // delta4 pads a gap above 16 columns with zero entries: about one per 16 columns skipped.
        let entries = config.format == .csr16 ? nnz : nnz + max(0, n * k - nnz * 16) / 16 / 16
        let indexBytes = config.format == .csr16 ? 2.0 : 0.5
        let wBytes = entries * (indexBytes + elementBytes) + 4 * n
        let memory = wBytes / Self.deviceBytesPerNs
        let grid = Double(config.gridDimensions(for: problem).x)
        let staging = grid * k * m * elementBytes / (Model.l2BytesPerSMPerNs * sms)
        // A row of X per entry, at least one 32-bit word per lane.
        let shared = entries * max(4, m * elementBytes) / (Model.bytesPerSMPerNs * sms)
        let segmentsPerWarp = (Double(config.rowsPerBlock(for: problem) * config.split) / Double(config.warps)).rounded(.up)
        let perRound = Double(32 * config.vectorWidth * config.unroll)
        let roundsPerSegment = (problem.meanRowLength / Double(config.split) / perRound).rounded(.up)
        let chunks = (k / Double(config.chunk)).rounded(.up)
        let chain = segmentsPerWarp * (roundsPerSegment + chunks) * Model.latency + chunks * 2 * Model.barrier
        let terms = [memory, staging, shared, chain]
        let largest = terms.max() ?? 0
        return largest + 0.25 * (terms.reduce(0, +) - largest)
    }
}
