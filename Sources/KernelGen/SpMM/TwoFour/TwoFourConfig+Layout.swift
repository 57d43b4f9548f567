import SparseFormats

// Launch layout and shared memory of the 2:4 kernel (see TwoFourKernel.swift). Per step of the
// ring (`stages` of them):
//
//   [per warp: chunk x 512 B of values, then chunk x 64 B of metadata]
//   [per slice: the X rows of its step: a tile (m a multiple of 8) or whole rows (any m)]
//
// After the last step the same memory holds the fp32 partial sums of every warp (16 x columns each).
extension TwoFourConfig {
    /// Threads per block.
    package var threadsPerBlock: Int { warps * 32 }

    /// One dimension: `x` is the thread index, warps are consecutive 32-thread groups.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: threadsPerBlock) }

    /// mma.sp on bf16 and cp.async: Ampere and later.
    package var minimumComputeCapability: ComputeCapability { ComputeCapability(major: 8, minor: 0) }

    /// 16-row strips of W.
    func stripCount(for problem: SpMMProblem) -> Int { TwoFourMatrix<Float>.strips(rows: problem.n) }

    /// `x`: column tiles of X (fastest, so the blocks of one strip group run together and W is read
    /// from memory once); `y`: groups of `strips` strips.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        LaunchDimensions(
            x: LaunchDimensions.blocks(problem.m, columns), y: LaunchDimensions.blocks(stripCount(for: problem), strips))
    }

    /// X is staged as a tile of `columns` 16-byte-aligned columns when m is a multiple of 8
    /// (cp.async of whole 16-byte pieces of a row), else as whole rows copied as one run.
    func stagesXAsTile(_ problem: SpMMProblem) -> Bool { problem.m % 8 == 0 }

    /// Bytes of one staged row of the X tile: 2 x columns, plus 16 when that is an even number of
    /// 16-byte units, so the 8 rows one ldmatrix reads fall in 8 different bank groups.
    var xRowBytes: Int { columns * 2 + (columns > 8 ? 16 : 0) }

    /// Bytes of one tile: 256 values of 2 bytes and 16 metadata words.
    static let tileBytes = 512 + 64

    /// Bytes of one warp's W in one step.
    var wStepBytes: Int { chunk * Self.tileBytes }

    /// Bytes of one slice's X in one step (32 rows a tile).
    func xStepBytes(_ problem: SpMMProblem) -> Int {
        stagesXAsTile(problem) ? 32 * chunk * xRowBytes : (32 * chunk * problem.m * 2 + 32 + 15) / 16 * 16
    }

    /// Bytes of one step of the ring.
    func stepBytes(_ problem: SpMMProblem) -> Int { warps * wStepBytes + slices * xStepBytes(problem) }

    /// Bytes of the partial sums: 16 x columns fp32 per warp.
    var partialBytes: Int { warps * 16 * columns * 4 }

    /// The ring, or the partial sums when larger.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int { max(stages * stepBytes(problem), partialBytes) }
}
