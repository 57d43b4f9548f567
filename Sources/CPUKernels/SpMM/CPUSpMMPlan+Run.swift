import CPUKernelsC
import SparseFormats

extension CPUSpMMPlan {
    /// `Y = W X` (+ bias per row of W) (then ReLU): X is `K x m`, Y is `N x m`, row-major.
    ///
    /// Allocates nothing. Every element of Y is written. With a `workspace` of at least
    /// ``workspaceCount(m:)`` floats, X is first repacked into aligned rows of a padded stride when
    /// that pays (``CPUSpMMOptions/repacksX(storedCount:columns:m:)``). Traps if a
    /// buffer is too small or the bias has the wrong length (use
    /// ``multiply(_:into:epilogue:)`` for checked errors).
    package func run(
        x: UnsafeBufferPointer<Float>, y: UnsafeMutableBufferPointer<Float>, m: Int,
        epilogue: CPUEpilogue = .none, workspace: CPUSpMMWorkspace? = nil
    ) {
        precondition(m >= 0, "CPUSpMMPlan.run: negative m")
        precondition(x.count >= columns * m, "CPUSpMMPlan.run: x holds \(x.count) floats, K x m needs \(columns * m)")
        precondition(y.count >= rows * m, "CPUSpMMPlan.run: y holds \(y.count) floats, N x m needs \(rows * m)")
        guard m > 0, rows > 0 else { return }
        let xBase = x.baseAddress ?? Self.neverRead
        let ldp = Self.paddedWidth(m)
        let out = OutputLayout(base: y.baseAddress!, rowStride: m, columnStride: 1, epilogue: epilogue)
        if options.repacksX(storedCount: storedCount, columns: columns, m: m), let workspace, workspace.capacity >= columns * ldp {
            pack(xBase, rows: columns, m: m, into: workspace.base, stride: ldp)
            withBias(epilogue) { execute(x: UnsafePointer(workspace.base), ldx: ldp, m: m, out: out.with(bias: $0)) }
        } else {
            withBias(epilogue) { execute(x: xBase, ldx: m, m: m, out: out.with(bias: $0)) }
        }
    }

    /// The `linear` convention: `Y = X Wᵀ` (+ bias per feature) (then ReLU), X is `m x K`,
    /// Y is `m x N`, row-major.
    ///
    /// For m > 1 the kernels need X with M contiguous, so X is transposed into `workspace`
    /// (at least ``workspaceCount(m:)`` floats); Y is written transposed directly by the
    /// kernels. Allocates nothing.
    package func runLinear(
        x: UnsafeBufferPointer<Float>, y: UnsafeMutableBufferPointer<Float>, m: Int,
        workspace: CPUSpMMWorkspace, epilogue: CPUEpilogue = .none
    ) {
        precondition(m >= 0, "CPUSpMMPlan.runLinear: negative m")
        precondition(x.count >= columns * m, "CPUSpMMPlan.runLinear: x holds \(x.count) floats, m x K needs \(columns * m)")
        precondition(y.count >= rows * m, "CPUSpMMPlan.runLinear: y holds \(y.count) floats, m x N needs \(rows * m)")
        guard m > 1 else {
            // One row of X is one column: both conventions are the same product.
            run(x: x, y: y, m: m, epilogue: epilogue)
            return
        }
        guard rows > 0 else { return }
        let ldp = Self.paddedWidth(m)
        precondition(workspace.capacity >= columns * ldp, "CPUSpMMPlan.runLinear: workspace too small")
        transpose(x.baseAddress ?? Self.neverRead, rows: m, columns: columns, into: workspace.base, stride: ldp)
        let out = OutputLayout(base: y.baseAddress!, rowStride: 1, columnStride: rows, epilogue: epilogue)
        withBias(epilogue) { execute(x: UnsafePointer(workspace.base), ldx: ldp, m: m, out: out.with(bias: $0)) }
    }

    /// `Y = W X` (+ bias) (then ReLU) (then GELU) (+ residual) over row-strided operands, as a
    /// feature-major network keeps its activations (one row per feature, one column per token): X
    /// is `K x m` with rows `ldx` floats apart, Y and the residual `N x m` with rows `ldy` and
    /// `ldr` apart (`ldx, ldy, ldr >= m`). X is used in place (give it a ``paddedWidth(_:)``
    /// stride and aligned rows), and Y is written with vector stores. `residual` may be `y`
    /// itself (each element is read before it is written); allocates nothing.
    package func run(
        x: UnsafePointer<Float>, ldx: Int, y: UnsafeMutablePointer<Float>, ldy: Int, m: Int,
        epilogue: CPUEpilogue = .none, residual: UnsafePointer<Float>? = nil, ldr: Int = 0
    ) {
        precondition(m >= 0 && ldx >= m && ldy >= m && (residual == nil || ldr >= m), "CPUSpMMPlan.run: a row stride below m = \(m)")
        guard m > 0, rows > 0 else { return }
        let out = OutputLayout(base: y, rowStride: ldy, columnStride: 1, epilogue: epilogue, residual: residual, residualStride: ldr)
        withBias(epilogue) { execute(x: x, ldx: ldx, m: m, out: out.with(bias: $0)) }
    }

    /// Row stride of the packed X layout: M rounded up to 16 floats (64 bytes), plus 16 when that
    /// is a multiple of 256 floats (1 KiB): rows a power-of-two stride apart fall into the same few
    /// cache sets (at n = 256 the X rows of a tile use a quarter of the L2's sets and 4 of the
    /// L1's 64), and the kernels read X rows in the order of the column indices, at random.
    package static func paddedWidth(_ m: Int) -> Int {
        let p = (m + 15) / 16 * 16
        return stridesConflict(p) ? p + 16 : p
    }

    /// Whether rows `m` floats apart map to few cache sets (a multiple of 1 KiB).
    static func stridesConflict(_ m: Int) -> Bool { m > 0 && m % 256 == 0 }

    // A valid, aligned address that is never dereferenced: kernels only read X through
    // stored values, and there are none when X is empty (K == 0).
    package static var neverRead: UnsafePointer<Float> { UnsafePointer(bitPattern: 64)! }
    static var neverWritten: UnsafeMutablePointer<Float> { UnsafeMutablePointer(bitPattern: 64)! }

    func withBias(_ epilogue: CPUEpilogue, _ body: (UnsafePointer<Float>?) -> Void) {
        guard let bias = epilogue.bias else { return body(nil) }
        precondition(bias.count == rows, "CPUSpMMPlan: bias has \(bias.count) values, expected \(rows)")
        bias.withUnsafeBufferPointer { body($0.baseAddress ?? Self.neverRead) }
    }

    /// The row map's address for the kernels (nil for rows in order), valid inside `body`.
    func withRowMap(_ body: (UnsafePointer<Int32>?) -> Void) {
        guard let rowMap else { return body(nil) }
        rowMap.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// Splits the work over the pool and runs the kernels of ``CPUSpMMOptions/isa``.
    func execute(x: UnsafePointer<Float>, ldx: Int, m: Int, out: OutputLayout) {
        withRowMap { rowMap in executeMapped(x: x, ldx: ldx, m: m, out: out, rowMap: rowMap) }
    }

    /// ``execute(x:ldx:m:out:)`` with the row map's address.
    private func executeMapped(x: UnsafePointer<Float>, ldx: Int, m: Int, out: OutputLayout, rowMap: UnsafePointer<Int32>?) {
        let tileColumns = options.resolvedTileVectors * options.isa.lanes
        let slots = (m + tileColumns - 1) / tileColumns
        let blockRowCount = rows / blockRows
        let threads = min(options.pool.threadCount, options.maxThreads ?? options.pool.threadCount)
        let work = (storedCount + rows) * m
        // One column of X at stride 1 through CSR: the gathering SpMV (K fits the 32-bit indices).
        let spmv = m == 1 && ldx == 1 && blockRows == 1 && blockColumns == 1 && out.columnStride == 1 && !out.gelu && out.residual == nil
        blockOffsets.withUnsafeBufferPointer { offsets in
            blockColumnIndices.withUnsafeBufferPointer { indices in
                packedValues.withUnsafeBufferPointer { values in
                    var operands = sparrow_spmm_operands(
                        offsets: offsets.baseAddress!, columns: indices.baseAddress!, values: values.baseAddress!,
                        block_rows: Int64(blockRows), block_columns: Int64(blockColumns), x: x, ldx: Int64(ldx),
                        y: out.base, y_row_stride: Int64(out.rowStride), y_column_stride: Int64(out.columnStride),
                        bias: out.bias, relu: out.relu ? 1 : 0, streaming_stores: options.streamingStores ? 1 : 0,
                        prefetch_distance: Int32(clamping: panelCount > 1 ? 0 : options.prefetchDistance),
                        tile_vectors: Int32(options.resolvedTileVectors), gelu: out.gelu ? 1 : 0,
                        residual: out.residual, residual_row_stride: Int64(out.residualStride), row_map: rowMap,
                        panels: Int64(panelCount), panel_stride: Int64(blockRowCount))
                    let isa = options.isa.cValue
                    // The portable SpMV is the scalar one; the others gather.
                    let spmvISA = options.gatherSpMV ? isa : CPUISA.portable.cValue
                    // Block rows `rowRange` times the tiles of `slotRange`.
                    let runItem = { (rowRange: Range<Int>, slotRange: Range<Int>) in
                        guard !rowRange.isEmpty, !slotRange.isEmpty else { return }
                        if spmv {
                            sparrow_spmv(spmvISA, &operands, Int64(rowRange.lowerBound), Int64(rowRange.upperBound))
                        } else {
                            sparrow_spmm(
                                isa, &operands, Int64(rowRange.lowerBound), Int64(rowRange.upperBound),
                                Int64(slotRange.lowerBound * tileColumns), Int64(min(m, slotRange.upperBound * tileColumns)))
                        }
                    }
                    if threads <= 1 || work < options.parallelThreshold {
                        runItem(0..<blockRowCount, 0..<slots)
                        return
                    }
                    // Items are (row group, span of M tiles). Wide M is split along M first: each
                    // thread then streams its own X columns and re-reads only W, which is smaller.
                    let spans = min(slots, 4 * threads)
                    let chunks = chunkCount
                    let groups = min(chunks, max(1, (4 * threads + spans - 1) / spans))
                    chunkBounds.withUnsafeBufferPointer { bounds in
                        options.pool.run(items: spans * groups, maxThreads: threads) { item in
                            let group = item % groups, span = item / groups
                            runItem(
                                bounds[group * chunks / groups]..<bounds[(group + 1) * chunks / groups],
                                (span * slots / spans)..<((span + 1) * slots / spans))
                        }
                    }
                }
            }
        }
    }

    /// Row-major `rows x columns` source into `columns x rows` with row stride `stride`
    /// (padding zeroed), in 16 x 16 blocks so both sides stay in cache lines.
    func transpose(
        _ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>, stride: Int
    ) {
        let block = 16
        let threads = min(options.pool.threadCount, options.maxThreads ?? options.pool.threadCount)
        let columnBlocks = (columns + block - 1) / block
        let body = { (cb: Int) in
            let c0 = cb * block, c1 = min(c0 + block, columns)
            var r0 = 0
            while r0 < rows {
                let r1 = min(r0 + block, rows)
                // r < rows and c < columns: both indices inside the rows x columns buffers.
                for c in c0..<c1 { for r in r0..<r1 { target[c &* stride &+ r] = source[r &* columns &+ c] } }
                r0 = r1
            }
            for c in c0..<c1 { (target + (c &* stride &+ rows)).update(repeating: 0, count: stride - rows) }
        }
        if threads > 1 && rows * columns >= options.parallelThreshold {
            options.pool.run(items: columnBlocks, maxThreads: threads, body)
        } else {
            for cb in 0..<columnBlocks { body(cb) }
        }
    }
}

extension CPUSpMMPlan {
    /// Copies X (`rows x m`, row-major) into `target` with row stride `stride` (64-byte aligned
    /// rows when `target` is), zeroing the padding.
    func pack(_ source: UnsafePointer<Float>, rows: Int, m: Int, into target: UnsafeMutablePointer<Float>, stride: Int) {
        let threads = min(options.pool.threadCount, options.maxThreads ?? options.pool.threadCount)
        let pieces = threads > 1 && rows * m >= options.parallelThreshold ? 4 * threads : 1
        let body = { (piece: Int) in
            // Rows lo..<hi of both buffers: inside rows * m and rows * stride floats.
            for r in (rows * piece / pieces)..<(rows * (piece + 1) / pieces) {
                (target + r &* stride).update(from: source + r &* m, count: m)
                (target + (r &* stride &+ m)).update(repeating: 0, count: stride - m)
            }
        }
        if pieces > 1 { options.pool.run(items: pieces, maxThreads: threads, body) } else { body(0) }
    }
}

/// Where results are written: `Y[row * rowStride + column * columnStride]` (`W X` writes rows,
/// column stride 1; the `linear` convention writes the transpose), and the epilogue.
struct OutputLayout {
    let base: UnsafeMutablePointer<Float>
    let rowStride: Int
    let columnStride: Int
    /// Per-row bias (indexed by output row), or nil.
    var bias: UnsafePointer<Float>?
    let relu: Bool
    let gelu: Bool
    /// Added last, `residual[row * residualStride + column]` (column stride 1 only), or nil.
    let residual: UnsafePointer<Float>?
    let residualStride: Int

    init(
        base: UnsafeMutablePointer<Float>, rowStride: Int, columnStride: Int, epilogue: CPUEpilogue,
        residual: UnsafePointer<Float>? = nil, residualStride: Int = 0
    ) {
        precondition(residual == nil || columnStride == 1, "OutputLayout: a residual needs rows written with column stride 1")
        self.base = base
        self.rowStride = rowStride
        self.columnStride = columnStride
        self.bias = nil
        self.relu = epilogue.relu
        self.gelu = epilogue.gelu
        self.residual = residual
        self.residualStride = residualStride
    }

    func with(bias: UnsafePointer<Float>?) -> OutputLayout {
        var copy = self
        copy.bias = bias
        return copy
    }
}
