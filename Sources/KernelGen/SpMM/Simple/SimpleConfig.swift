import SparseFormats

/// The simple kernel's shape: blocks of `threadsPerRow` x `rowsPerBlock` threads, one thread per
/// output element (see SimpleKernel.swift). Id: `simple.r8.t32`, plus `.o1` / `.o2` for a row order
/// (SpMMConfig+RowOrder.swift).
package struct SimpleConfig: SpMMFamilyConfig {
    /// Threads of a block along the columns of Y (4, 8, 16 or 32).
    package var threadsPerRow: Int
    /// Rows of Y per block.
    package var rowsPerBlock: Int
    /// The order rows are taken in (a permutation operand unless identity).
    package var rowOrder: RowOrdering

    package init(threadsPerRow: Int = 32, rowsPerBlock: Int = 8, rowOrder: RowOrdering = .identity) {
        self.threadsPerRow = threadsPerRow
        self.rowsPerBlock = rowsPerBlock
        self.rowOrder = rowOrder
    }

    /// Threads along a row the kernel supports (they must divide the warp).
    package static let threadsPerRowChoices = BlockRules.subwarpSizes

    package var description: String { "simple.r\(rowsPerBlock).t\(threadsPerRow)" + rowOrder.idSuffix }

    package init(parsing text: String) throws(ConfigError) {
        let fields = try ConfigID.fields(of: text, droppingPrefix: "simple")
        guard fields.count == 2 + (fields["o"] == nil ? 0 : 1), let r = fields["r"], let t = fields["t"],
            let o = RowOrdering.knob(fields)
        else { throw .unparsable(text) }
        self.init(threadsPerRow: t, rowsPerBlock: r, rowOrder: o)
    }

    package var threadsPerBlock: Int { threadsPerRow * rowsPerBlock }

    /// `x` along the columns of Y, `y` along rows.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: threadsPerRow, y: rowsPerBlock) }

    /// `x` over groups of `threadsPerRow` columns, `y` over groups of `rowsPerBlock` rows.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        LaunchDimensions(
            x: LaunchDimensions.blocks(problem.m, threadsPerRow), y: LaunchDimensions.blocks(problem.n, rowsPerBlock))
    }

    /// None: the kernel stages nothing.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int { 0 }

    package var minimumComputeCapability: ComputeCapability { ComputeCapability(major: 7, minor: 0) }

    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        let device = problem.device
        try BlockRules.checkSubwarpAndRows(subwarpSize: threadsPerRow, rowsPerBlock: rowsPerBlock, device: device)
        try BlockRules.checkThreads(threadsPerBlock, device: device)
        try BlockRules.checkRegisterFile(threads: threadsPerBlock, device: device)
        try BlockRules.checkGrid(gridDimensions(for: problem), device: device)
    }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        SimpleKernel.render(problem, self, entryPoint: entryPoint)
    }
}
