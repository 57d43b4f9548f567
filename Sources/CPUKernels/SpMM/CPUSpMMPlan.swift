import SparseFormats

/// Options of a ``CPUSpMMPlan``.
package struct CPUSpMMOptions: Sendable {
    /// Threads to use at most (nil: every thread of the pool).
    package var maxThreads: Int?
    /// Below this many multiply-adds (`(stored values + rows) * M`) a call runs on the calling
    /// thread alone: waking a worker costs more than it can earn back.
    package var parallelThreshold: Int
    /// Nonzero-balanced row chunks per thread made when the plan is built.
    package var chunksPerThread: Int
    /// Repack X (see ``repacksX(storedCount:columns:m:)``) only when each X row is used by at least
    /// this many stored values on average (`stored values >= packMinimumReuse * K`). The default,
    /// 32, was measured on DLMC rn50 at 0.9 (2-core EPYC, docs/perf/2026-11-30-cpu-epyc-isa): at
    /// n = 256 repacking paid on the layers with reuse 51 and 100 and cost 1.56-1.70x at 12.8 and
    /// 25.6.
    package var packMinimumReuse: Int
    /// The pool that runs the work.
    package var pool: CPUWorkerPool
    /// The instruction-set path of the kernels (default: the best this CPU runs, or
    /// `SPARROW_CPU_ISA`).
    package var isa: CPUISA
    /// Vectors per register tile over the columns of X (1 to 8; nil: ``defaultTileVectors(for:)``).
    package var tileVectors: Int?
    /// Write full, aligned vectors of Y with non-temporal stores (Y written once, not read again).
    package var streamingStores: Bool
    /// Software-prefetch the X rows of the stored values this many values ahead (0: off). Only
    /// without column panels: with them X's panel slab is in L1 and the prefetches only took issue
    /// slots (1,536 x 384 at density 0.3: 84 GFLOP/s with a distance of 4 against 107 without).
    package var prefetchDistance: Int
    /// With one column of X (SpMV), gather X by the column indices in vectors (AVX2 / AVX-512)
    /// instead of four scalar partial sums. Off by default: on the EPYC (Zen 5) the gathers were
    /// 10% slower over the 54 DLMC rn50 layers at 0.9 (docs/perf/2026-11-30-cpu-epyc-isa).
    package var gatherSpMV: Bool
    /// Columns of W per panel (0: no panels). W is stored in column panels and the kernels run
    /// panel by panel over a range of rows, so that one panel's rows of X (a slab of
    /// `panelColumns x 128` floats at the default tile, 32 KiB) stay in L1 while every row reads
    /// them; partial sums go through Y. Without panels every stored value reads an X row segment
    /// from L2 and the kernel runs at L2's bandwidth. The default, 64, was measured on the EPYC
    /// (Zen 5, 48 KiB L1; docs/perf/2026-12-01-cpu-epyc-panels): one thread, 1,024 columns of X,
    /// MiniLM's four shapes at densities 0.3 and 0.1, 1.5-2.1x over no panels; 48, 96 and 128
    /// were within 0-13% of it. Block shapes use `panelColumns / blockColumns` block columns.
    package var panelColumns: Int
    /// The order W's rows are packed and run in (CSR plans only; BSR keeps its block rows in
    /// order): the permutation (SparseFormats' ``SparseFormats/RowOrdering/rowOrder(for:)``) is
    /// applied when the plan is built and undone in the store, each result row written at its
    /// own place. Identity by default: on this repository's 2-core EPYC the A/B was not
    /// conclusive (rn50 0.9: +8.5% locality, +17% longest first with a 0.8-1.9x spread; transformer:
    /// -1% and -4%; docs/perf/2026-12-01-h200-issue13, CPU section).
    package var rowOrdering: RowOrdering

    package init(
        maxThreads: Int? = nil, parallelThreshold: Int = 1 << 17, chunksPerThread: Int = 8,
        packMinimumReuse: Int = 32, pool: CPUWorkerPool = .shared, isa: CPUISA = .automatic,
        tileVectors: Int? = nil, streamingStores: Bool = false, prefetchDistance: Int = 4, gatherSpMV: Bool = false,
        panelColumns: Int = 64, rowOrdering: RowOrdering = .identity
    ) {
        self.rowOrdering = rowOrdering
        self.maxThreads = maxThreads
        self.parallelThreshold = parallelThreshold
        self.chunksPerThread = chunksPerThread
        self.packMinimumReuse = packMinimumReuse
        self.pool = pool
        self.isa = isa
        self.tileVectors = tileVectors
        self.streamingStores = streamingStores
        self.prefetchDistance = prefetchDistance
        self.gatherSpMV = gatherSpMV
        self.panelColumns = panelColumns
    }

    /// Panel width for a CSR weight of `density` (stored values over entries) at the default
    /// tile: 64 columns, or 128 below a density of 0.1875, where a row of a 64-column panel holds
    /// fewer than 12 values and each row's fixed work per panel (its offsets and the 16 vector
    /// loads and stores of its partial sums) costs about as much as its FMAs. Measured on the EPYC
    /// (Zen 5, one thread, `docs/perf/2026-12-01-cpu-epyc-minilm-panels128`), the library kernel on
    /// MiniLM's shapes at 128 columns of X: density 0.1, 74-102 GFLOP/s with 64-column panels
    /// against 87-110 with 128; density 0.3, 115-127 against 105-124 (64 kept). Used by the model's
    /// linear layers; `bench spmm` keeps ``panelColumns``' default.
    package static func panelColumns(forDensity density: Double) -> Int { density < 0.1875 ? 128 : 64 }

    /// Vectors per tile when none is given: eight (128 columns on AVX-512, 64 on AVX2, 32 on the
    /// portable path). Measured on DLMC rn50 at 0.9 (docs/perf/2026-11-30-cpu-epyc-isa, 12 layer
    /// and width pairs at n = 49 to 784): eight AVX-512 vectors were the best tile width on 9;
    /// 8-9% behind four at n = 49, and 40% behind on the largest layer (512 x 4608 at n = 256,
    /// whose 128-column X slice outgrows the L2), where the tuner picks narrower tiles.
    package static func defaultTileVectors(for isa: CPUISA) -> Int { 8 }

    /// The tile width in vectors this plan uses.
    package var resolvedTileVectors: Int { min(8, max(1, tileVectors ?? Self.defaultTileVectors(for: isa))) }

    /// Whether X (`columns` rows of `m` floats) is repacked into the workspace before the product,
    /// for a matrix of `storedCount` values.
    ///
    /// The kernels read X rows at random (by column index). When X's row stride is a multiple of
    /// 1 KiB those rows fall into a few cache sets: at a 1 KiB stride a 1 MiB 8-way L2 holds only
    /// about 256 KiB of them, halving as the stride doubles. Repacking to a padded stride
    /// (``CPUSpMMPlan/paddedWidth(_:)``) pays when one tile's slice of X (`columns` rows x the
    /// tile's bytes) outgrows that, and each X row is reused by at least ``packMinimumReuse``
    /// stored values (`Int.max` never repacks). Repacking only to align rows or pad the tail cost
    /// 1.25-1.8x on every rn50 layer measured at n = 49, 196 and 784: masked loads handle tails.
    package func repacksX(storedCount: Int, columns: Int, m: Int) -> Bool {
        guard m > 4, CPUSpMMPlan.stridesConflict(m) else { return false }
        let (threshold, overflow) = packMinimumReuse.multipliedReportingOverflow(by: max(1, columns))
        guard !overflow, storedCount >= threshold else { return false }
        let usableBytes = (256 << 10) * 1024 / (m * 4)
        let sliceBytes = columns * resolvedTileVectors * isa.lanes * 4
        return sliceBytes > usableBytes
    }

    /// Single-threaded.
    package static var serial: CPUSpMMOptions { CPUSpMMOptions(maxThreads: 1) }
}

/// A sparse weight matrix prepared for repeated multiplication on the CPU.
///
/// Built once from a CSR or BSR matrix of any element type (values are widened to Float32);
/// the rows are split into chunks of balanced nonzero counts for the threads. Then
/// `run(x:y:m:epilogue:)` computes `Y = W X` (W is `N x K`, X is `K x M`, Y is `N x M`,
/// row-major; ``run(x:ldx:y:ldy:m:epilogue:residual:ldr:)`` with row strides and a residual)
/// and `runLinear` computes `Y = X Wᵀ` (X `M x K`, Y `M x N`), all with an optional fused bias
/// (per output row of W, i.e. per output feature), ReLU and exact GELU, without allocating. The plan is an immutable value: share it between threads freely.
package struct CPUSpMMPlan: Sendable {
    /// N, rows of W.
    package let rows: Int
    /// K, columns of W.
    package let columns: Int
    /// Block shape (1 x 1 for CSR).
    package let blockRows: Int
    package let blockColumns: Int
    /// Stored values (for BSR, explicit zeros in blocks included).
    package let storedCount: Int
    package let options: CPUSpMMOptions

    /// Column panels W is stored in (1: the plain layout; ``CPUSpMMOptions/panelColumns``).
    package let panelCount: Int

    // Repacked storage, panel by panel (`panelCount * blockRowCount + 1` offsets: stored block row
    // `br` of panel `p` at `p * blockRowCount + br`; stored rows are in ``rowMap``'s order when W's
    // rows were reordered). `columns` and `values` carry one padding element so their base
    // addresses exist even when nothing is stored.
    let blockOffsets: [Int32]
    let blockColumnIndices: [Int32]
    let packedValues: [Float]
    /// Block-row boundaries of the nonzero-balanced chunks (`chunkCount + 1` entries).
    let chunkBounds: [Int]
    /// The output row of each stored row (``CPUSpMMOptions/rowOrdering``), nil for rows in order.
    let rowMap: [Int32]?

    /// Prepares a CSR matrix, its rows in ``CPUSpMMOptions/rowOrdering``.
    package init<E: SparseElement>(csr: CSRMatrix<E>, options: CPUSpMMOptions = CPUSpMMOptions()) {
        guard let order = options.rowOrdering.rowOrder(for: csr), !order.isIdentity else {
            self.init(
                rows: csr.rows, columns: csr.columns, blockRows: 1, blockColumns: 1,
                offsets: csr.rowOffsets, indices: csr.columnIndices, values: csr.values, options: options, rowMap: nil)
            return
        }
        // The order has the matrix's row count by construction, so applying it cannot fail.
        guard let stored = try? order.applied(to: csr) else { preconditionFailure("a row order of \(csr.rows) rows") }
        self.init(
            rows: csr.rows, columns: csr.columns, blockRows: 1, blockColumns: 1,
            offsets: stored.rowOffsets, indices: stored.columnIndices, values: stored.values, options: options, rowMap: order.rows)
    }

    /// Prepares a BSR matrix (any block shape; 1x4, 1x8, 4x1 and 4x4 have dedicated kernels).
    package init<E: SparseElement>(bsr: BSRMatrix<E>, options: CPUSpMMOptions = CPUSpMMOptions()) {
        self.init(
            rows: bsr.rows, columns: bsr.columns, blockRows: bsr.blockRows, blockColumns: bsr.blockColumns,
            offsets: bsr.rowOffsets, indices: bsr.columnIndices, values: bsr.values, options: options, rowMap: nil)
    }

    init<E: SparseElement>(
        rows: Int, columns: Int, blockRows: Int, blockColumns: Int,
        offsets: [Int32], indices: [Int32], values: [E], options: CPUSpMMOptions, rowMap: [Int32]?
    ) {
        precondition(rowMap == nil || (blockRows == 1 && rowMap?.count == rows), "a row map is one output row per CSR row")
        self.rowMap = rowMap
        // CSRMatrix and BSRMatrix are valid by construction; these only guard against misuse
        // of this initializer.
        precondition(blockRows > 0 && blockColumns > 0 && rows % blockRows == 0 && columns % blockColumns == 0)
        precondition(offsets.count == rows / blockRows + 1 && values.count == indices.count * blockRows * blockColumns)
        self.rows = rows
        self.columns = columns
        self.blockRows = blockRows
        self.blockColumns = blockColumns
        self.storedCount = values.count
        self.options = options
        var floats: [Float]
        if let same = values as? [Float] { floats = same } else { floats = values.map(\.floatValue) }
        let blockColumnCount = columns / blockColumns
        let panelWidth = options.panelColumns > 0 ? max(1, options.panelColumns / blockColumns) : blockColumnCount
        let panels = Self.panelled(
            offsets: offsets, indices: indices, values: floats, blockSize: blockRows * blockColumns,
            panelWidth: max(1, panelWidth), blockColumnCount: blockColumnCount)
        self.panelCount = panels.count
        self.blockOffsets = panels.offsets
        var packedIndices = panels.indices
        packedIndices.append(0)
        self.blockColumnIndices = packedIndices
        floats = panels.values
        floats.append(0)
        self.packedValues = floats
        let threads = min(options.pool.threadCount, options.maxThreads ?? options.pool.threadCount)
        self.chunkBounds = CPUSpMMPlan.balancedChunks(
            offsets: offsets, blockSize: blockRows * blockColumns, blockRows: blockRows,
            chunks: max(1, threads * options.chunksPerThread))
    }

    /// The blocks of a block-CSR layout regrouped by column panels of `panelWidth` block columns:
    /// panel by panel, each panel a block-CSR over every block row (columns stay absolute). One
    /// panel (`panelWidth >= blockColumnCount`) returns the layout as it is.
    static func panelled(
        offsets: [Int32], indices: [Int32], values: [Float], blockSize: Int, panelWidth: Int, blockColumnCount: Int
    ) -> (count: Int, offsets: [Int32], indices: [Int32], values: [Float]) {
        let count = max(1, (blockColumnCount + panelWidth - 1) / panelWidth)
        guard count > 1 else { return (1, offsets, indices, values) }
        let blockRowCount = offsets.count - 1
        var newOffsets = [Int32](repeating: 0, count: count * blockRowCount + 1)
        var newIndices = [Int32](repeating: 0, count: indices.count)
        var newValues = [Float](repeating: 0, count: values.count)
        // Counting sort by (panel, block row): stored blocks of a row are in column order, so each
        // panel's blocks of a row stay in column order.
        for br in 0..<blockRowCount {
            for b in Int(offsets[br])..<Int(offsets[br + 1]) {
                newOffsets[Int(indices[b]) / panelWidth * blockRowCount + br + 1] += 1
            }
        }
        for i in 1..<newOffsets.count { newOffsets[i] += newOffsets[i - 1] }
        var next = Array(newOffsets.dropLast())
        for br in 0..<blockRowCount {
            for b in Int(offsets[br])..<Int(offsets[br + 1]) {
                let slot = Int(indices[b]) / panelWidth * blockRowCount + br
                let target = Int(next[slot])
                next[slot] += 1
                newIndices[target] = indices[b]
                for e in 0..<blockSize { newValues[target * blockSize + e] = values[b * blockSize + e] }
            }
        }
        return (count, newOffsets, newIndices, newValues)
    }

    /// Splits block rows into at most `chunks` contiguous ranges of about equal cost, where a
    /// block row costs its stored values plus its rows (the stores and the epilogue).
    static func balancedChunks(offsets: [Int32], blockSize: Int, blockRows: Int, chunks: Int) -> [Int] {
        let count = offsets.count - 1
        guard count > 0 else { return [0, 0] }
        let total = Int(offsets[count]) * blockSize + count * blockRows
        let wanted = min(chunks, count)
        var bounds = [0]
        var next = 1
        for blockRow in 0..<count {
            let costSoFar = Int(offsets[blockRow + 1]) * blockSize + (blockRow + 1) * blockRows
            if next < wanted, costSoFar * wanted >= total * next {
                bounds.append(blockRow + 1)
                next += 1
            }
        }
        if bounds.last != count { bounds.append(count) }
        return bounds
    }

    /// Number of nonzero-balanced row chunks.
    package var chunkCount: Int { chunkBounds.count - 1 }
}
