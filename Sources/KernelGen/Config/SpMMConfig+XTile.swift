import SparseFormats

// Shared memory layout of the X-tiled kernel (see XTileKernel.swift):
//
//   [bounds header: 2 ints per warp, padded to 16 bytes]
//   [buffer 0: chunkSize rows x xTileRowStride elements of X] ([buffer 1] when double buffered)
//
// X is staged in the element type, so f16 / bf16 halve the space.
extension SpMMConfig {
    /// Bytes before the first X buffer: each warp's (lowest first column, highest last column)
    /// pair of its rows, rounded up to 16 so every X vector and `cp.async` target stays aligned.
    var xTileBoundsBytes: Int { (2 * max(1, threadsPerBlock / 32) * 4 + 15) / 16 * 16 }

    /// Padding elements after each staged X row. A subwarp reads `subwarpSize x vectorWidth`
    /// consecutive elements of one staged row per access; shared memory serves a warp in phases
    /// of 128 bytes (8 lanes of 16-byte, 16 of 8-byte, 32 of narrower accesses). When a phase
    /// holds one subwarp only, every phase reads 128 contiguous bytes: no conflict, no pad. When
    /// it holds several subwarps (on random rows), rows are shifted by one subwarp footprint so
    /// that rows differing mod 32 / footprint words land on disjoint banks; the pad is a whole
    /// number of vectors, so every row stays vector-aligned.
    func xTileRowPad(_ type: ElementType) -> Int {
        let accessBytes = vectorWidth * type.byteWidth
        let phaseLanes = min(32, 128 / max(4, accessBytes))
        return subwarpSize >= phaseLanes ? 0 : subwarpSize * vectorWidth
    }

    /// Elements between consecutive staged rows of X: the tile plus its pad.
    func xTileRowStride(_ type: ElementType) -> Int { tileWidth + xTileRowPad(type) }

    /// Elements in one X buffer: `chunkSize` rows of the stride.
    func xTileBufferElements(_ type: ElementType) -> Int { chunkSize * xTileRowStride(type) }

    /// Dynamic shared memory of an xTile block:
    /// `bounds + (doubleBuffered ? 2 : 1) x chunkSize x (tileWidth + pad) x elementBytes`.
    func xTileSharedMemoryBytes(_ type: ElementType) -> Int {
        xTileBoundsBytes + (doubleBuffered ? 2 : 1) * xTileBufferElements(type) * type.byteWidth
    }

    /// Vectors of X one block copies per chunk (`chunkSize x tileWidth / vectorWidth`), and how
    /// many each thread copies: ceil(vectors / threads) rounded up to whole batches (copies past
    /// the chunk's vectors are masked).
    var xTileCopyVectors: Int { chunkSize * (tileWidth / max(1, vectorWidth)) }
    var xTileCopiesPerThread: Int {
        let copies = (xTileCopyVectors + threadsPerBlock - 1) / max(1, threadsPerBlock)
        let batch = max(1, xTileCopyBatchLimit)
        return copies <= batch ? copies : (copies + batch - 1) / batch * batch
    }

    /// Most copies per thread whose loads are issued together. Synchronous copies hold their data
    /// in registers between the load and the shared store, so 4 (at most 16 registers of X);
    /// `cp.async` holds only addresses, so 8. Unbatched, a chunk of 32 copies per thread took
    /// up to 216 registers on sm_90.
    private var xTileCopyBatchLimit: Int { doubleBuffered ? 8 : 4 }

    /// Copies per thread issued together (all of them when fewer than a batch).
    var xTileCopyBatch: Int {
        let copies = (xTileCopyVectors + threadsPerBlock - 1) / max(1, threadsPerBlock)
        return min(copies, max(1, xTileCopyBatchLimit))
    }
}
