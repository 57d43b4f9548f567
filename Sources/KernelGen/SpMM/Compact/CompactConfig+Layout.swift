import SparseFormats

// Launch layout and shared memory of the compact kernel (see CompactKernel.swift):
//
//   [X chunk: chunkRows x m elements, rows of X contiguous as in global memory]
//   [per segment: m fp32 partial sums] [per segment: cursor int] [per segment: last column int]
//
// The X chunk is first so it stays 16-byte aligned; its byte size is rounded up to 16.
extension CompactConfig {
    /// Threads per block.
    package var threadsPerBlock: Int { warps * 32 }

    /// One dimension: `x` is the thread index, warps are consecutive 32-thread groups.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: threadsPerBlock) }

    /// Plain loads and shuffles only: Volta and later.
    package var minimumComputeCapability: ComputeCapability { ComputeCapability(major: 7, minor: 0) }

    /// Rows one block owns: the rows spread over at most `blocksPerSM` blocks per SM.
    package func rowsPerBlock(for problem: SpMMProblem) -> Int {
        let blocks = max(1, problem.device.multiprocessorCount * blocksPerSM)
        return max(1, (problem.n + blocks - 1) / blocks)
    }

    /// `ceil(n / rowsPerBlock)` blocks, so none is empty.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        LaunchDimensions(x: LaunchDimensions.blocks(problem.n, rowsPerBlock(for: problem)))
    }

    /// Rows of X staged at once: the chunk, or all of K when K is shorter (at least 1).
    func chunkRows(for problem: SpMMProblem) -> Int { max(1, min(chunk, problem.k)) }

    /// Chunks one block walks.
    func chunkCount(for problem: SpMMProblem) -> Int { max(1, LaunchDimensions.blocks(problem.k, chunk)) }

    /// Segments (row pieces) one block owns.
    func segmentsPerBlock(for problem: SpMMProblem) -> Int { rowsPerBlock(for: problem) * split }

    /// Bytes of the staged X chunk, rounded up to 16.
    func xBytes(for problem: SpMMProblem) -> Int {
        (chunkRows(for: problem) * problem.m * problem.elementType.byteWidth + 15) / 16 * 16
    }

    /// X chunk, then per segment m partial sums, a cursor and a last column; double-buffered, X
    /// then the block's row offsets (rows + 1 ints).
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int {
        doubleBuffered ? xBytes(for: problem) + (rowsPerBlock(for: problem) + 1) * 4
            : xBytes(for: problem) + segmentsPerBlock(for: problem) * (problem.m * 4 + 8)
    }
}
