import SparseFormats

// Launch layout and shared memory of the bitmap kernel (see BitmapKernel.swift). Per step of the
// ring (`stages` of them):
//
//   [per warp: chunk x 4 masks (32 B a block), then values: chunk x 256 elements + 16 B of slack]
//   [per slice: the X rows of its step: a tile (m a multiple of 8) or whole rows (any m)]
//
// After the last step the same memory holds the fp32 partial sums of every warp (16 x columns each).
extension BitmapConfig {
    /// Threads per block.
    package var threadsPerBlock: Int { warps * 32 }

    /// One dimension: `x` is the thread index, warps are consecutive 32-thread groups.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: threadsPerBlock) }

    /// mma.sync on bf16 and cp.async: Ampere and later.
    package var minimumComputeCapability: ComputeCapability { ComputeCapability(major: 8, minor: 0) }

    /// 16-row strips of W.
    func stripCount(for problem: SpMMProblem) -> Int { BitmapTiledMatrix<Float>.strips(rows: problem.n) }

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

    /// Bytes of one warp's W in one step: 4 masks and at most 256 values (2 bytes) per block,
    /// plus 16 bytes for the values' start rounded down to 16.
    var wStepBytes: Int { chunk * (32 + 512) + 16 }

    /// Bytes of one slice's X in one step.
    func xStepBytes(_ problem: SpMMProblem) -> Int {
        stagesXAsTile(problem) ? 16 * chunk * xRowBytes : (16 * chunk * problem.m * 2 + 32 + 15) / 16 * 16
    }

    /// Bytes of one step of the ring.
    func stepBytes(_ problem: SpMMProblem) -> Int { warps * wStepBytes + slices * xStepBytes(problem) }

    /// Bytes of the partial sums: 16 x columns fp32 per warp.
    var partialBytes: Int { warps * 16 * columns * 4 }

    /// The ring, or the partial sums when larger.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int { max(stages * stepBytes(problem), partialBytes) }
}
