import Foundation
import KernelGen

extension SpMMFeatures {
    /// The knobs every family has, in one shape: lanes along a row, rows per block, tile, vector,
    /// chunk, buffering, split and unroll (1 or 0 where a family has no such knob).
    struct Knobs {
        var family: Double
        var lanes, rows, tile, vector, vectorsPerThread, chunk: Int
        var doubleBuffered: Bool
        var split, unroll, registers: Int

        init(_ config: SpMMConfig) {
            switch config {
            case let .simple(simple):
                self.init(
                    family: 0, lanes: simple.threadsPerRow, rows: simple.rowsPerBlock, tile: simple.threadsPerRow, vector: 1,
                    vectorsPerThread: 1, chunk: 0, doubleBuffered: false, split: 1, unroll: 4, registers: 28)
            case let .tiled(tiled):
                self.init(
                    family: 1, lanes: tiled.subwarpSize, rows: tiled.rowsPerBlock, tile: tiled.tileWidth,
                    vector: tiled.vectorWidth, vectorsPerThread: tiled.vectorsPerThread, chunk: tiled.chunkSize,
                    doubleBuffered: tiled.doubleBuffered, split: tiled.rowSplit, unroll: tiled.macUnroll,
                    registers: tiled.estimatedRegisters)
            case let .xTile(xTile):
                self.init(
                    family: 2, lanes: xTile.subwarpSize, rows: xTile.rowsPerBlock, tile: xTile.tileWidth,
                    vector: xTile.vectorWidth, vectorsPerThread: xTile.vectorsPerThread, chunk: xTile.chunkSize,
                    doubleBuffered: xTile.doubleBuffered, split: 1, unroll: 1,
                    registers: 56 + xTile.vectorsPerThread * xTile.vectorWidth)
            case let .compact(compact):
                // A warp per segment; the "tile" is all of m (at most maxWidth); the chunk is the staged rows of K;
                // vectors a lane has in flight: a round's U, or U for each of the S - 1 rounds a ring keeps ahead.
                self.init(
                    family: 3, lanes: 32, rows: compact.warps / compact.split, tile: CompactConfig.maxWidth, vector: compact.vectorWidth,
                    vectorsPerThread: compact.unroll * max(1, compact.ringStages - 1), chunk: compact.chunk, doubleBuffered: compact.doubleBuffered, split: compact.split,
                    unroll: compact.unroll, registers: 40 + 2 * compact.unroll * compact.vectorWidth)
            case let .specialised(specialised):
                // One thread per vector of columns; a block's rows are its accumulators.
                self.init(
                    family: 4, lanes: specialised.threads, rows: specialised.rowsPerBlock,
                    tile: specialised.threads * specialised.vectorWidth, vector: specialised.vectorWidth, vectorsPerThread: 1,
                    chunk: 0, doubleBuffered: false, split: 1, unroll: 0,
                    registers: 24 + specialised.rowsPerBlock * specialised.vectorWidth + 2 * specialised.vectorWidth)
            case let .bitmap(bitmap):
                // A warp per (strip, slice): 16 rows a strip; the tile is the columns of X a block
                // serves; the chunk is the K columns a warp stages per step; the slices split K.
                self.init(
                    family: 5, lanes: 32, rows: 16 * bitmap.strips, tile: bitmap.columns, vector: 8,
                    vectorsPerThread: bitmap.stages, chunk: 16 * bitmap.chunk, doubleBuffered: bitmap.stages > 1,
                    split: bitmap.slices * bitmap.splits, unroll: 1, registers: bitmap.estimatedRegisters)
            case let .twoFour(twoFour):
                // As bitmap, with 32 K columns a tile.
                self.init(
                    family: 6, lanes: 32, rows: 16 * twoFour.strips, tile: twoFour.columns, vector: 8,
                    vectorsPerThread: twoFour.stages, chunk: 32 * twoFour.chunk, doubleBuffered: twoFour.stages > 1,
                    split: twoFour.slices * twoFour.splits, unroll: 1, registers: twoFour.estimatedRegisters)
            case let .fragmentCOO(fcoo):
                // As bitmap: 16 K columns a block.
                self.init(
                    family: 7, lanes: 32, rows: 16 * fcoo.strips, tile: fcoo.columns, vector: 8,
                    vectorsPerThread: fcoo.stages, chunk: 16 * fcoo.chunk, doubleBuffered: fcoo.stages > 1,
                    split: fcoo.slices * fcoo.splits, unroll: 1, registers: fcoo.estimatedRegisters)
            }
        }

        init(
            family: Double, lanes: Int, rows: Int, tile: Int, vector: Int, vectorsPerThread: Int, chunk: Int,
            doubleBuffered: Bool, split: Int, unroll: Int, registers: Int
        ) {
            self.family = family
            self.lanes = lanes
            self.rows = rows
            self.tile = tile
            self.vector = vector
            self.vectorsPerThread = vectorsPerThread
            self.chunk = chunk
            self.doubleBuffered = doubleBuffered
            self.split = split
            self.unroll = unroll
            self.registers = registers
        }
    }

    /// ``configNames``' values for `config`.
    func configValues(_ config: SpMMConfig) -> [Double] {
        let knobs = Knobs(config)
        let device = problem.device
        let threads = config.threadsPerBlock
        let grid = config.gridDimensions(for: problem)
        let blocks = max(1, grid.x * grid.y * grid.z)
        let shared = config.sharedMemoryBytes(for: problem)
        // Resident blocks per SM: threads, registers and shared memory each limit it.
        var perSM = min(32, problem.residentThreadsPerSM / threads)
        perSM = min(perSM, device.registersPerMultiprocessor / max(1, knobs.registers * threads))
        if shared > 0 { perSM = min(perSM, device.maxSharedMemoryPerBlockOptIn / shared) }
        perSM = max(1, perSM)
        let occupancy = Double(perSM * threads) / Double(problem.residentThreadsPerSM)
        let waves = Double(blocks) / Double(device.multiprocessorCount * perSM)

        let m = Double(problem.m), nnz = Double(problem.nnz), elementBytes = Double(problem.elementType.byteWidth)
        let tiles = (problem.m + knobs.tile - 1) / knobs.tile
        let idle = 1 - m / Double(tiles * knobs.tile)
        // Useful work and the bytes a block moves: its share of W (index and value per nonzero,
        // once per column tile) and of X (a row of the tile per nonzero), and its Y tile.
        let flops = 2 * nnz * m / Double(blocks)
        let bytes = (nnz * Double(tiles) * (4 + elementBytes) + nnz * m * elementBytes + Double(problem.n) * m * elementBytes)
            / Double(blocks)
        let longestSegment = Double((problem.maxRowLength + knobs.split - 1) / knobs.split)
        let meanSegment = problem.meanRowLength / Double(knobs.split)
        let handNanoseconds = hand.estimatedNanoseconds(config, for: problem)
        return [
            knobs.family, Double(threads), Double(knobs.lanes), Double(knobs.rows), Double(knobs.tile), Double(knobs.vector),
            Double(knobs.vectorsPerThread), Double(knobs.chunk), knobs.doubleBuffered ? 1 : 0, Double(knobs.split),
            Double(knobs.unroll), knobs.tile >= problem.m ? 1 : 0, idle, log2(Double(blocks)), Double(perSM), occupancy,
            waves, log2(Double(max(1, shared))), Double(knobs.registers), log2(max(1, flops)), log2(max(1, bytes)),
            knobs.chunk > 0 ? longestSegment / Double(knobs.chunk) : 0, meanSegment,
            log2(max(1, handNanoseconds.isFinite ? handNanoseconds : 1)), Double(config.rowOrder.idCode),
        ]
    }
}
