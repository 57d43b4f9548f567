import KernelGen

extension HandCostModel {
    /// A DRAM round trip under load, in ns: with the bytes each SM keeps in flight it sets the
    /// bandwidth a streaming kernel reaches (Little's law).
    static let memoryLatency = 800.0
    /// Shared memory an SM offers its blocks, in bytes (sm_80 / sm_90: 164 / 228 KiB).
    static let sharedBytesPerSM = 228.0 * 1024

    /// ``estimatedNanoseconds(_:for:)`` for the bitmap tensor-core kernel: the largest of W's bytes
    /// over the bandwidth its bytes in flight reach (resident warps x `stages - 1` steps each, by
    /// Little's law, at most the device's copy bandwidth), the L2 traffic (W again for every
    /// column tile after the first, and X once per block), and the issue of the expansion and the
    /// mma instructions; plus a quarter of the others, as in the header.
    func bitmapEstimatedNanoseconds(_ config: BitmapConfig, for problem: SpMMProblem) -> Double {
        let sms = Double(problem.device.multiprocessorCount)
        let n = Double(problem.n), k = Double(problem.k)
        let density = n * k == 0 ? 0 : Double(problem.nnz) / (n * k)
        let strips = ((n / 16).rounded(.up)), blocks = (k / 16).rounded(.up)
        let wBytes = strips * blocks * (4 * 8 + 4 * 4) + Double(problem.nnz) * 2
        let grid = config.gridDimensions(for: problem)
        let gridBlocks = Double(grid.x * grid.y)
        // Resident blocks per SM: shared memory, threads (2048) and one block's registers.
        let shared = Double(config.sharedMemoryBytes(for: problem))
        let byShared = shared > 0 ? (Self.sharedBytesPerSM / shared).rounded(.down) : 32
        let byThreads = (2048.0 / Double(config.threadsPerBlock)).rounded(.down)
        let byRegisters = (65536.0 / Double(config.threadsPerBlock * config.estimatedRegisters)).rounded(.down)
        let resident = max(1, min(byShared, byThreads, byRegisters, (gridBlocks / sms).rounded(.up)))
        let stepBytes = Double(config.chunk) * (32 + 512 * density)
        let inFlight = resident * Double(config.warps) * Double(config.stages - 1) * stepBytes
        let reach = min(Self.deviceBytesPerNs, inFlight * min(sms, gridBlocks) / Self.memoryLatency)
        let memory = wBytes / max(1, reach)
        let columnsRead = problem.m % 8 == 0 ? Double(config.columns) : Double(problem.m)
        let xBytes = gridBlocks * k * columnsRead * 2
        let l2 = (wBytes * Double(grid.x - 1) + xBytes) / (Model.l2BytesPerSMPerNs * sms)
        // Per 16 x 16 block and column tile: about 48 instructions to expand the A fragment, 3 per
        // n-tile of 8 columns (ldmatrix, mma, address).
        let nTiles = Double(config.columns / 8)
        let issue = strips * blocks * Double(grid.x) * (48 + 3 * nTiles) / (Model.instructionsPerSMPerNs * sms)
        let steps = ((blocks / Double(config.slices)) / Double(config.chunk)).rounded(.up)
        let chain = steps * Model.barrier + Self.memoryLatency
        let terms = [memory, l2, issue, chain]
        let largest = terms.max() ?? 0
        return largest + 0.25 * (terms.reduce(0, +) - largest)
    }
}
