import KernelGen

extension HandCostModel {
    /// A DRAM round trip under load, in ns: with the bytes each SM keeps in flight it sets the
    /// bandwidth a streaming kernel reaches (Little's law).
    static let memoryLatency = 800.0
    /// Shared memory an SM offers its blocks, in bytes (sm_80 / sm_90: 164 / 228 KiB).
    static let sharedBytesPerSM = 228.0 * 1024

    /// ``estimatedNanoseconds(_:for:)`` for the bitmap tensor-core kernel: see
    /// ``stripSliceEstimatedNanoseconds(_:for:wBytes:unitBytes:unitColumns:issuePerUnit:)``; a
    /// 16 x 16 block takes about 48 instructions to expand its A fragment.
    func bitmapEstimatedNanoseconds(_ config: BitmapConfig, for problem: SpMMProblem) -> Double {
        let n = Double(problem.n), k = Double(problem.k)
        let density = n * k == 0 ? 0 : Double(problem.nnz) / (n * k)
        let blocks = (n / 16).rounded(.up) * (k / 16).rounded(.up)
        return stripSliceEstimatedNanoseconds(
            .bitmap(config), for: problem, wBytes: blocks * (4 * 8 + 4 * 4) + Double(problem.nnz) * 2,
            unitBytes: 32 + 512 * density, unitColumns: 16, issuePerUnit: 48)
    }

    /// ``estimatedNanoseconds(_:for:)`` for the 2:4 kernel: 576 bytes a 16 x 32 tile, and about
    /// 6 instructions a tile besides the mma (two shared loads, addresses, the loop).
    func twoFourEstimatedNanoseconds(_ config: TwoFourConfig, for problem: SpMMProblem) -> Double {
        let tiles = (Double(problem.n) / 16).rounded(.up) * (Double(problem.k) / 32).rounded(.up)
        return stripSliceEstimatedNanoseconds(
            .twoFour(config), for: problem, wBytes: tiles * 576, unitBytes: 576, unitColumns: 32, issuePerUnit: 6)
    }

    /// ``estimatedNanoseconds(_:for:)`` for the fragment-COO kernel: 3 bytes a nonzero and 4 a
    /// 16 x 16 block; a block takes about 8 instructions plus 8 per round of 32 nonzeros its lanes
    /// scatter (the kernel's count, not yet calibrated against a measurement).
    func fragmentCOOEstimatedNanoseconds(_ config: FragmentCOOConfig, for problem: SpMMProblem) -> Double {
        let n = Double(problem.n), k = Double(problem.k)
        let density = n * k == 0 ? 0 : Double(problem.nnz) / (n * k)
        let blocks = (n / 16).rounded(.up) * (k / 16).rounded(.up)
        return stripSliceEstimatedNanoseconds(
            .fragmentCOO(config), for: problem, wBytes: blocks * 4 + Double(problem.nnz) * 3,
            unitBytes: 4 + 768 * density, unitColumns: 16, issuePerUnit: 8 + 8 * (256 * density / 32).rounded(.up))
    }

    /// The strip-and-slice tensor-core kernels (bitmap, 2:4, fragment-COO): the largest of W's bytes (`wBytes`)
    /// over the bandwidth its bytes in flight reach (resident warps x `stages - 1` steps of `chunk`
    /// units of `unitBytes` each, by Little's law, at most the device's copy bandwidth), the L2
    /// traffic (W again for every column tile after the first, and X once per block over its share
    /// of K), the chain of steps (plus a workspace round trip for a K split), and the
    /// issue of each unit's `issuePerUnit` instructions plus 3 per n-tile of 8 columns (ldmatrix,
    /// mma, address); plus a quarter of the others, as in the header.
    private func stripSliceEstimatedNanoseconds(
        _ config: SpMMConfig, for problem: SpMMProblem, wBytes: Double, unitBytes: Double, unitColumns: Double,
        issuePerUnit: Double
    ) -> Double {
        guard let shape = config.stripSlice else { return .infinity }
        let sms = Double(problem.device.multiprocessorCount)
        let n = Double(problem.n), k = Double(problem.k)
        let units = (n / 16).rounded(.up) * (k / unitColumns).rounded(.up)
        let stages = Double(shape.stages)
        let warps = Double(shape.strips * shape.slices)
        let grid = config.gridDimensions(for: problem)
        let gridBlocks = Double(grid.x * grid.y * grid.z)
        let splits = Double(shape.splits)
        // Resident blocks per SM: shared memory, threads (2048) and one block's registers.
        let shared = Double(config.sharedMemoryBytes(for: problem))
        let threads = Double(config.threadsPerBlock)
        let byShared = shared > 0 ? (Self.sharedBytesPerSM / shared).rounded(.down) : 32
        let byThreads = (2048.0 / threads).rounded(.down)
        let byRegisters = (65536.0 / (threads * Double(config.stripSliceRegisters))).rounded(.down)
        let resident = max(1, min(byShared, byThreads, byRegisters, (gridBlocks / sms).rounded(.up)))
        let inFlight = resident * warps * (stages - 1) * Double(shape.chunk) * unitBytes
        let reach = min(Self.deviceBytesPerNs, inFlight * min(sms, gridBlocks) / Self.memoryLatency)
        let memory = wBytes / max(1, reach)
        let columnsRead = problem.m % 8 == 0 ? Double(shape.columns) : Double(problem.m)
        // Each block stages X over its split's share of K.
        let xBytes = gridBlocks * (k / splits) * columnsRead * 2
        let l2 = (wBytes * Double(grid.x - 1) + xBytes) / (Model.l2BytesPerSMPerNs * sms)
        let nTiles = Double(shape.columns / 8)
        let issue = units * Double(grid.x) * (issuePerUnit + 3 * nTiles) / (Model.instructionsPerSMPerNs * sms)
        let steps = (((k / unitColumns).rounded(.up) / (Double(shape.slices) * splits)) / Double(shape.chunk)).rounded(.up)
        // A split's partial sums: atomics into L2, then the last block's read back.
        let chain = steps * Model.barrier + Self.memoryLatency * (splits > 1 ? 2 : 1)
        let terms = [memory, l2, issue, chain]
        let largest = terms.max() ?? 0
        return largest + 0.25 * (terms.reduce(0, +) - largest)
    }
}

extension SpMMConfig {
    /// Registers a strip-and-slice config's thread needs (32 for the others).
    fileprivate var stripSliceRegisters: Int {
        switch self {
        case let .bitmap(config): config.estimatedRegisters
        case let .twoFour(config): config.estimatedRegisters
        case let .fragmentCOO(config): config.estimatedRegisters
        default: 32
        }
    }
}
