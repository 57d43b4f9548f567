import SparseFormats

// Launch layout and shared memory of the compact kernel (see CompactKernel.swift):
//
//   [X chunk: chunkRows x m elements (fp32 at m = 1: stagesXAsFloat), rows of X contiguous as in global memory]
//   [per segment: m fp32 partial sums] [per segment: cursor int] [per segment: last column int]
//
// The X chunk is first so it stays 16-byte aligned; its byte size is rounded up to 16.
extension CompactConfig {
    /// Threads per block.
    package var threadsPerBlock: Int { warps * 32 }

    /// One dimension: `x` is the thread index, warps are consecutive 32-thread groups.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: threadsPerBlock) }

    /// Plain loads and shuffles only: Volta and later; the ring's `cp.async`: Ampere and later.
    package var minimumComputeCapability: ComputeCapability {
        ringStages > 0 ? ComputeCapability(major: 8, minor: 0) : ComputeCapability(major: 7, minor: 0)
    }

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
        (chunkRows(for: problem) * problem.m * (stagesXAsFloat(problem) ? 4 : problem.elementType.byteWidth) + 15) / 16 * 16
    }

    /// At m = 1 with 16-bit elements X is staged as fp32 (converted once a block as it is
    /// staged): a nonzero then reads its X element without converting it, one instruction fewer
    /// a nonzero where the walk issues about 20 (ncu, docs/perf/2026-12-02-h200-session19-delta4),
    /// for twice X's bytes in shared memory (44 KB at K = 11008). Wider X keeps its type: it
    /// would not fit, and its conversions are shared by the row's m columns' FMAs.
    func stagesXAsFloat(_ problem: SpMMProblem) -> Bool { problem.m == 1 && problem.elementType.byteWidth == 2 }

    /// X chunk, then per segment m partial sums, a cursor and a last column; double-buffered, X,
    /// the block's row offsets (rows + 1 ints, rounded up to 16 bytes) and each warp's ring.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int {
        doubleBuffered ? xBytes(for: problem) + offsetBytes(for: problem) + warps * ringStages * ringSlotBytes
            : xBytes(for: problem) + segmentsPerBlock(for: problem) * (problem.m * 4 + 8)
    }

    /// Bytes of the double-buffered walk's row offsets (rows + 1 ints), rounded up to 16 so the ring
    /// after them starts aligned.
    func offsetBytes(for problem: SpMMProblem) -> Int { ((rowsPerBlock(for: problem) + 1) * 4 + 15) / 16 * 16 }

    /// Bytes of one warp's ring slot: a round's 16-byte value vectors, then its 4-byte nibble words.
    var ringSlotBytes: Int { unroll * 32 * (16 + 4) }
}
