import SparseFormats

extension CPUSpMMPlan {
    /// Block shapes the kernels specialise (CPUKernelsC's `TILE_VARIANT`s), largest first.
    package static let specialisedBlockShapes: [(rows: Int, columns: Int)] = [(4, 4), (4, 1), (1, 8), (1, 4)]

    /// The BSR plan of a block-pruned weight: at the first of ``specialisedBlockShapes`` whose blocks
    /// store only nonzeros; nil when none fits exactly (a blocking that stores zeros is not taken).
    package init?<E: SparseElement>(exactlyBlocked csr: CSRMatrix<E>, options: CPUSpMMOptions = CPUSpMMOptions()) {
        guard let bsr = csr.exactBlocking(Self.specialisedBlockShapes) else { return nil }
        self.init(bsr: bsr, options: options)
    }
}
