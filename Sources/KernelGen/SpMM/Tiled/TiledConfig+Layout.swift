// Launch geometry, shared memory layout and register estimate of the tiled kernel
// (see the desk check in TiledKernel.swift):
//
//   [column indices: subwarpsPerBlock x stagingStride int32] (16-byte aligned)
//   [values: subwarpsPerBlock x stagingStride elements] (16-byte aligned)
//   [partial tiles: rowsPerBlock x (rowSplit - 1) x tileWidth fp32] (only with a row split)
extension TiledConfig {
    /// Threads per block: `rowsPerBlock x rowSplit` subwarps of `subwarpSize` lanes.
    package var threadsPerBlock: Int { rowsPerBlock * rowSplit * subwarpSize }

    /// Subwarps per block (each owns one staging area).
    package var subwarpsPerBlock: Int { rowsPerBlock * rowSplit }

    /// Dense vectors (of `vectorWidth` elements) each thread loads per nonzero and stores at the end.
    package var vectorsPerThread: Int { tileWidth / max(1, vectorWidth * subwarpSize) }

    /// Elements per vector load of a row's values and column indices when staging a chunk: the
    /// widest of 4, 2, 1 that divides each lane's share (`chunkSize / subwarpSize`). Row starts are
    /// rounded down to a multiple of it (the reverse-offset trick).
    package var sparseVectorWidth: Int {
        guard subwarpSize > 0, chunkSize % subwarpSize == 0 else { return 1 }
        let share = chunkSize / subwarpSize
        return share % 4 == 0 ? 4 : share % 2 == 0 ? 2 : 1
    }

    /// Staged nonzeros the kernel multiplies per step with all their X loads issued first:
    /// `unroll` when set, else `clamp(16 / (vectorsPerThread x vectorWidth), 1, 4)`, so the values
    /// in flight stay within 16 registers per thread.
    package var macUnroll: Int {
        unroll > 0 ? unroll : min(4, max(1, 16 / max(1, vectorsPerThread * vectorWidth)))
    }

    /// Blocks per SM the kernel's `__launch_bounds__` asks for above 256 threads: enough for
    /// 1024 resident threads (2 of 512, 1 of 1024); 1 otherwise (no bounds).
    package var minimumBlocksPerSM: Int { threadsPerBlock > 256 ? max(1, 1024 / threadsPerBlock) : 1 }

    /// Registers per thread the kernel's `__launch_bounds__(threads, blocks)` leaves: the
    /// register file over the resident threads, in ptxas's allocation unit of 8, at most 255.
    func registerBudget(_ device: DeviceLimits) -> Int {
        let threads = max(1, threadsPerBlock * minimumBlocksPerSM)
        return min(BlockRules.maxRegistersPerThread, device.registersPerMultiprocessor / threads / 8 * 8)
    }

    /// Registers a thread needs without spilling, roughly: 24 for addresses, loop state and
    /// staging, plus the accumulators and the X values of `macUnroll` nonzeros in flight. Only
    /// the 64-register budget of wide blocks depends on it: the wide configs it admits compiled
    /// to 43-64 registers without spills (CI corpus, NVRTC 13). It underestimates unrolled
    /// 256-thread configs (96 estimated, 126 used by `r2.t32.c256.v4.k32.db1.u8`), whose budget is 255.
    package var estimatedRegisters: Int {
        let accumulators = vectorsPerThread * vectorWidth
        return 24 + accumulators * (1 + macUnroll)
    }

    /// Shared memory buffers per subwarp (2 when double buffered).
    var stagingBuffers: Int { doubleBuffered ? 2 : 1 }

    /// Elements between consecutive subwarps' staging areas: the buffers plus `subwarpSize`
    /// elements of padding, so the subwarps of one warp reading the same chunk offset hit
    /// different shared memory banks (their areas start `subwarpSize` words apart modulo 32).
    /// The padding is a multiple of 4 elements, which keeps every vector store aligned.
    var stagingStride: Int { stagingBuffers * chunkSize + subwarpSize }

    /// Byte offset of the values region in dynamic shared memory: after every subwarp's
    /// column indices, rounded up to 16 bytes so vector stores and `cp.async` stay aligned.
    var valuesOffset: Int { (subwarpsPerBlock * stagingStride * 4 + 15) / 16 * 16 }

    /// Byte offset of the split reduction buffer: after every subwarp's values, 16-byte aligned.
    func reductionOffset(for problem: SpMMProblem) -> Int {
        (valuesOffset + subwarpsPerBlock * stagingStride * problem.elementType.byteWidth + 15) / 16 * 16
    }

    /// Bytes of the split reduction buffer: fp32 partial tiles `[rowsPerBlock][rowSplit - 1][tileWidth]`
    /// (segment 0 keeps its partial in registers and sums the others); 0 without a split.
    package var reductionBytes: Int { rowsPerBlock * (rowSplit - 1) * tileWidth * 4 }

    /// Each subwarp stages `chunkSize` indices and values per buffer; with a row split, the
    /// partial tiles follow.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int {
        let staging = valuesOffset + subwarpsPerBlock * stagingStride * problem.elementType.byteWidth
        return rowSplit > 1 ? reductionOffset(for: problem) + reductionBytes : staging
    }

    /// `x` runs over a row's subwarp, `y` over rows, `z` over the segments of a split row.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: subwarpSize, y: rowsPerBlock, z: rowSplit) }

    /// `x` over groups of `rowsPerBlock` row slots, `y` over column tiles.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        LaunchDimensions(x: LaunchDimensions.blocks(problem.n, rowsPerBlock), y: LaunchDimensions.blocks(problem.m, tileWidth))
    }

    /// `cp.async` needs 8.0.
    package var minimumComputeCapability: ComputeCapability {
        doubleBuffered ? ComputeCapability(major: 8, minor: 0) : ComputeCapability(major: 7, minor: 0)
    }
}
