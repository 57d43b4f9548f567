import SparseFormats

/// The X-tiled kernel's shape: `rowsPerBlock` rows of `subwarpSize` lanes per block share each
/// staged chunk of `chunkSize` rows of X, `tileWidth` columns wide (see XTileKernel.swift).
///
/// Id: `xtile.r32.t8.c128.v4.k64.db1` (`k` is the chunk of K rows), plus `.o1` / `.o2` for a row
/// order (SpMMConfig+RowOrder.swift).
package struct XTileConfig: SpMMFamilyConfig {
    /// Lanes that share one output row (4, 8, 16 or 32).
    package var subwarpSize: Int
    /// Output rows per block: every one of them reads each staged chunk.
    package var rowsPerBlock: Int
    /// Columns of Y (and of the staged X) per block.
    package var tileWidth: Int
    /// Elements per dense load of X and store of Y (1, 2, 4; 8 for 16-bit types).
    package var vectorWidth: Int
    /// Rows of X (a range of K) staged per step.
    package var chunkSize: Int
    /// Copy the next chunk of X with `cp.async` while the current one is walked (sm_80+).
    package var doubleBuffered: Bool
    /// The order rows are taken in (a permutation operand unless identity).
    package var rowOrder: RowOrdering

    package init(
        subwarpSize: Int, rowsPerBlock: Int, tileWidth: Int, vectorWidth: Int, chunkSize: Int, doubleBuffered: Bool,
        rowOrder: RowOrdering = .identity
    ) {
        self.rowOrder = rowOrder
        self.subwarpSize = subwarpSize
        self.rowsPerBlock = rowsPerBlock
        self.tileWidth = tileWidth
        self.vectorWidth = vectorWidth
        self.chunkSize = chunkSize
        self.doubleBuffered = doubleBuffered
    }

    /// Subwarp sizes the kernel supports.
    package static let subwarpSizes = BlockRules.subwarpSizes
    /// Dense vector widths in elements; at most 16 bytes of the element type are legal.
    package static let vectorWidths = DenseTileRules.vectorWidths

    package var description: String {
        "xtile.r\(rowsPerBlock).t\(subwarpSize).c\(tileWidth).v\(vectorWidth).k\(chunkSize).db\(doubleBuffered ? 1 : 0)" + rowOrder.idSuffix
    }

    package init(parsing text: String) throws(ConfigError) {
        let fields = try ConfigID.fields(of: text, droppingPrefix: "xtile")
        guard fields.count == 6 + (fields["o"] == nil ? 0 : 1), let r = fields["r"], let t = fields["t"], let c = fields["c"],
            let v = fields["v"], let k = fields["k"], let db = ConfigID.flag(fields["db"]), let o = RowOrdering.knob(fields)
        else { throw .unparsable(text) }
        self.init(
            subwarpSize: t, rowsPerBlock: r, tileWidth: c, vectorWidth: v, chunkSize: k, doubleBuffered: db, rowOrder: o)
    }

    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        let device = problem.device
        try BlockRules.checkSubwarpAndRows(subwarpSize: subwarpSize, rowsPerBlock: rowsPerBlock, device: device)
        try BlockRules.checkThreads(threadsPerBlock, device: device)
        try BlockRules.checkRegisterFile(threads: threadsPerBlock, device: device)
        try DenseTileRules.check(
            vectorWidth: vectorWidth, tileWidth: tileWidth, subwarpSize: subwarpSize, problem: problem)
        guard chunkSize >= 1 else { throw .nonPositive(field: "chunkSize", value: chunkSize) }
        if doubleBuffered {
            let capability = device.computeCapability
            guard capability >= ComputeCapability(major: 8, minor: 0) else { throw .asyncCopyNeedsSM80(capability) }
            let bytes = vectorWidth * problem.elementType.byteWidth
            guard bytes >= 4 else { throw .xTileAsyncCopyTooNarrow(bytes: bytes) }
        }
        // The launcher opts in above 48 KiB (PreparedLaunch); X chunks are worth the space.
        let bytes = sharedMemoryBytes(for: problem)
        guard bytes <= device.maxSharedMemoryPerBlockOptIn else {
            throw .sharedMemoryExceedsOptIn(bytes: bytes, limit: device.maxSharedMemoryPerBlockOptIn)
        }
        try BlockRules.checkGrid(gridDimensions(for: problem), device: device)
    }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        XTileKernel.render(problem, self, entryPoint: entryPoint)
    }
}
