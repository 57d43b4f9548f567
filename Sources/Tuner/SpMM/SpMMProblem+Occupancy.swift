import KernelGen

// Facts about a problem on its device that the space's rules and the hand cost model share.
extension SpMMProblem {
    /// Threads one SM keeps resident on the devices Sparrow targets (sm_80, sm_90: 2048). Not in
    /// ``DeviceLimits`` because it never makes a config illegal; the register file holds that
    /// many threads at 32 registers each, so it is derived from it.
    var residentThreadsPerSM: Int {
        max(device.warpSize, min(2048, device.registersPerMultiprocessor / 32))
    }

    /// Whether splitting rows `split` ways can still add useful parallelism: a split of 1 always
    /// can; a split P > 1 only while the P / 2 split leaves fewer than two device loads of
    /// threads (`n x ceil(m / tile) x P / 2 x subwarp < 2 x SMs x resident threads per SM`).
    func splitHelps(_ split: Int, subwarp: Int, tile: Int) -> Bool {
        guard split > 1 else { return true }
        let tiles = (m + tile - 1) / tile
        let halfSplitThreads = n * tiles * (split / 2) * subwarp
        let deviceLoad = device.multiprocessorCount * residentThreadsPerSM
        return halfSplitThreads < 2 * deviceLoad
    }

    /// Expected rows of a block of `rows` rows that need one staged X row:
    /// `rows x density`, density = nnz / (n x k). Each X element staged from L2 is read that many
    /// times from shared memory; below 1 the staging costs more traffic than it saves.
    func xTileReuse(rows: Int) -> Double {
        guard k > 0 else { return 0 }
        return Double(rows) * Double(nnz) / (Double(n) * Double(k))
    }

    /// The widest dense vector legal for this problem: 16 bytes or less, dividing `m`.
    var widestVector: Int {
        [8, 4, 2, 1].first { $0 * elementType.byteWidth <= 16 && m % $0 == 0 } ?? 1
    }
}
