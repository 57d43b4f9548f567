import SparseFormats

// Shared memory layout of the X-tiled kernel (see XTileKernel.swift):
//
//   [bounds header: 2 ints per warp, padded to 16 bytes]
//   [buffer 0: chunkSize rows x rowStride elements of X] ([buffer 1] when double buffered)
//
// X is staged in the element type, so f16 / bf16 halve the space.
extension XTileConfig {
    /// Bytes before the first X buffer: each warp's (lowest first column, highest last column)
    /// pair of its rows, rounded up to 16 so every X vector and `cp.async` target stays aligned.
    var boundsBytes: Int { (2 * max(1, threadsPerBlock / 32) * 4 + 15) / 16 * 16 }

    /// Padding elements after each staged X row. A subwarp reads `subwarpSize x vectorWidth`
    /// consecutive elements of one staged row per access; shared memory serves a warp in phases
    /// of 128 bytes (8 lanes of 16-byte, 16 of 8-byte, 32 of narrower accesses). When a phase
    /// holds one subwarp only, every phase reads 128 contiguous bytes: no conflict, no pad. When
    /// it holds several subwarps (on random rows), rows are shifted by one subwarp footprint so
    /// that rows differing mod 32 / footprint words land on disjoint banks; the pad is a whole
    /// number of vectors, so every row stays vector-aligned.
    package func rowPad(_ type: ElementType) -> Int {
        let accessBytes = vectorWidth * type.byteWidth
        let phaseLanes = min(32, 128 / max(4, accessBytes))
        return subwarpSize >= phaseLanes ? 0 : subwarpSize * vectorWidth
    }

    /// Elements between consecutive staged rows of X: the tile plus its pad.
    func rowStride(_ type: ElementType) -> Int { tileWidth + rowPad(type) }

    /// Elements in one X buffer: `chunkSize` rows of the stride.
    func bufferElements(_ type: ElementType) -> Int { chunkSize * rowStride(type) }

    /// `bounds + (doubleBuffered ? 2 : 1) x chunkSize x (tileWidth + pad) x elementBytes`.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int {
        let type = problem.elementType
        return boundsBytes + (doubleBuffered ? 2 : 1) * bufferElements(type) * type.byteWidth
    }

    /// Threads per block: `rowsPerBlock` subwarps of `subwarpSize` lanes.
    package var threadsPerBlock: Int { rowsPerBlock * subwarpSize }

    /// Dense vectors (of `vectorWidth` elements) each thread loads per nonzero and stores at the end.
    package var vectorsPerThread: Int { tileWidth / max(1, vectorWidth * subwarpSize) }

    /// `x` runs over a row's lanes, `y` over rows.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: subwarpSize, y: rowsPerBlock) }

    /// `x` over groups of `rowsPerBlock` row slots, `y` over column tiles.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        LaunchDimensions(x: LaunchDimensions.blocks(problem.n, rowsPerBlock), y: LaunchDimensions.blocks(problem.m, tileWidth))
    }

    /// `cp.async` needs 8.0.
    package var minimumComputeCapability: ComputeCapability {
        doubleBuffered ? ComputeCapability(major: 8, minor: 0) : ComputeCapability(major: 7, minor: 0)
    }

    /// Vectors of X one block copies per chunk (`chunkSize x tileWidth / vectorWidth`), and how
    /// many each thread copies: ceil(vectors / threads) rounded up to whole batches (copies past
    /// the chunk's vectors are masked).
    var copyVectors: Int { chunkSize * (tileWidth / max(1, vectorWidth)) }
    var copiesPerThread: Int {
        let copies = (copyVectors + threadsPerBlock - 1) / max(1, threadsPerBlock)
        let batch = max(1, copyBatchLimit)
        return copies <= batch ? copies : (copies + batch - 1) / batch * batch
    }

    /// Most copies per thread whose loads are issued together. Synchronous copies hold their data
    /// in registers between the load and the shared store, so 4 (at most 16 registers of X);
    /// `cp.async` holds only addresses, so 8. Unbatched, a chunk of 32 copies per thread took
    /// up to 216 registers on sm_90.
    private var copyBatchLimit: Int { doubleBuffered ? 8 : 4 }

    /// Copies per thread issued together (all of them when fewer than a batch).
    var copyBatch: Int {
        let copies = (copyVectors + threadsPerBlock - 1) / max(1, threadsPerBlock)
        return min(copies, max(1, copyBatchLimit))
    }
}
