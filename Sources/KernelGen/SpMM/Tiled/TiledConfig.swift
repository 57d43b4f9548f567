import SparseFormats

/// The tiled (Sputnik-class) kernel's shape: `rowsPerBlock x rowSplit` subwarps of `subwarpSize`
/// lanes per block, each computing `tileWidth` columns of one output row over one segment of
/// the row, staging `chunkSize` nonzeros at a time (see TiledKernel.swift).
///
/// Id: `r4.t8.c64.v4.k32.db1`, plus `.s8` for a row split, `.u8` for an explicit unroll and `.o1` /
/// `.o2` for a row order (SpMMConfig+RowOrder.swift), each left out at its neutral value (1, 0, identity).
package struct TiledConfig: SpMMFamilyConfig {
    /// Threads that share one output row (a subwarp: 4, 8, 16 or 32).
    package var subwarpSize: Int
    /// Output rows per thread block (`rowSplit` subwarps each).
    package var rowsPerBlock: Int
    /// Columns of Y one subwarp computes.
    package var tileWidth: Int
    /// Elements per dense load of X and store of Y (1, 2, 4; 8 for 16-bit types).
    package var vectorWidth: Int
    /// Nonzeros of a row staged in shared memory per step.
    package var chunkSize: Int
    /// Prefetch the next chunk with `cp.async` while the current one is multiplied (sm_80+).
    package var doubleBuffered: Bool
    /// Subwarps that share one output row (1, 2, 4, 8 or 16): each multiplies a contiguous
    /// segment of the row's nonzeros, and the partial tiles are summed through shared memory.
    /// Rows are long and few in pruned CNN layers: splitting them multiplies the subwarps in
    /// flight and divides each one's serial walk over the row.
    package var rowSplit: Int
    /// Staged nonzeros whose X loads a thread issues together before their FMAs (1, 2, 4 or 8);
    /// 0 picks ``macUnroll``'s rule from the tile. More loads in flight hide latency when rows
    /// are short and the grid is small, at the cost of registers.
    package var unroll: Int
    /// The order rows are taken in (a permutation operand unless identity).
    package var rowOrder: RowOrdering

    package init(
        subwarpSize: Int, rowsPerBlock: Int, tileWidth: Int, vectorWidth: Int, chunkSize: Int,
        doubleBuffered: Bool, rowSplit: Int = 1, unroll: Int = 0, rowOrder: RowOrdering = .identity
    ) {
        self.rowOrder = rowOrder
        self.subwarpSize = subwarpSize
        self.rowsPerBlock = rowsPerBlock
        self.tileWidth = tileWidth
        self.vectorWidth = vectorWidth
        self.chunkSize = chunkSize
        self.doubleBuffered = doubleBuffered
        self.rowSplit = rowSplit
        self.unroll = unroll
    }

    package var description: String {
        "r\(rowsPerBlock).t\(subwarpSize).c\(tileWidth).v\(vectorWidth).k\(chunkSize).db\(doubleBuffered ? 1 : 0)"
            + (rowSplit == 1 ? "" : ".s\(rowSplit)") + (unroll == 0 ? "" : ".u\(unroll)") + rowOrder.idSuffix
    }

    package init(parsing text: String) throws(ConfigError) {
        let fields = try ConfigID.fields(of: text, droppingPrefix: nil)
        let optional = ["s", "u", "o"].filter { fields[$0] != nil }.count
        guard fields.count == 6 + optional, let r = fields["r"], let t = fields["t"], let c = fields["c"],
            let v = fields["v"], let k = fields["k"], let db = ConfigID.flag(fields["db"]), let o = RowOrdering.knob(fields)
        else { throw .unparsable(text) }
        self.init(
            subwarpSize: t, rowsPerBlock: r, tileWidth: c, vectorWidth: v, chunkSize: k, doubleBuffered: db,
            rowSplit: fields["s"] ?? 1, unroll: fields["u"] ?? 0, rowOrder: o)
    }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        TiledKernel.render(problem, self, entryPoint: entryPoint)
    }
}
