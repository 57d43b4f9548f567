import CPUKernels
import KernelGen
import SparseFormats
import Tuner

/// What the CPU plan is tuned for: the matrix's shape and stored count, the width of X, and the
/// host's cores.
package struct CPUSpMMProblem: Sendable, Hashable {
    package var rows: Int
    package var columns: Int
    package var storedCount: Int
    /// Columns of X and Y.
    package var m: Int
    /// Threads the host can run at once.
    package var cores: Int

    package init(rows: Int, columns: Int, storedCount: Int, m: Int, cores: Int = CPUWorkerPool.onlineCores) {
        self.rows = rows
        self.columns = columns
        self.storedCount = storedCount
        self.m = m
        self.cores = cores
    }

    /// The problem of `matrix` at width `m` on this host.
    package init(_ matrix: CSRMatrix<Float>, m: Int) {
        self.init(rows: matrix.rows, columns: matrix.columns, storedCount: matrix.nnz, m: m)
    }

    /// Whether `config`'s plan repacks X for this problem (``CPUSpMMOptions/repacksX(storedCount:columns:m:)``).
    func repacks(_ config: CPUPlanConfig) -> Bool {
        config.options.repacksX(storedCount: storedCount, columns: columns, m: m)
    }
}

/// The CPU plan's choices as one value: threads, work chunks per thread, when X is repacked, the
/// kernel path, the register tile's width, prefetching, streaming stores and W's column panels.
package struct CPUPlanConfig: Sendable, Hashable, Codable, CustomStringConvertible {
    package var threads: Int
    package var chunksPerThread: Int
    /// Repack X when each X row is reused by at least this many stored values (`Int.max`: never).
    package var packMinimumReuse: Int
    /// The instruction-set path.
    package var isa: CPUISA
    /// Vectors per register tile over the columns of X (1 to 8).
    package var tileVectors: Int
    /// Stored values ahead whose X rows are prefetched (0: off).
    package var prefetchDistance: Int
    /// Non-temporal stores of Y.
    package var streamingStores: Bool
    /// Gathering SpMV (m = 1) instead of the scalar one.
    package var gatherSpMV: Bool
    /// Columns of W per panel (0: no panels; ``CPUSpMMOptions/panelColumns``).
    package var panelColumns: Int
    /// The order W's rows are packed and run in (``CPUSpMMOptions/rowOrdering``).
    package var rowOrdering: RowOrdering

    package init(
        threads: Int, chunksPerThread: Int, packMinimumReuse: Int, isa: CPUISA = .automatic,
        tileVectors: Int? = nil, prefetchDistance: Int = 0, streamingStores: Bool = false, gatherSpMV: Bool = false,
        panelColumns: Int = 0, rowOrdering: RowOrdering = .identity
    ) {
        self.rowOrdering = rowOrdering
        self.threads = threads
        self.chunksPerThread = chunksPerThread
        self.packMinimumReuse = packMinimumReuse
        self.isa = isa
        self.tileVectors = tileVectors ?? CPUSpMMOptions.defaultTileVectors(for: isa)
        self.prefetchDistance = prefetchDistance
        self.streamingStores = streamingStores
        self.gatherSpMV = gatherSpMV
        self.panelColumns = panelColumns
    }

    /// Today's defaults (``CPUSpMMOptions``) on `cores` threads.
    package static func defaults(cores: Int) -> CPUPlanConfig {
        let options = CPUSpMMOptions()
        return CPUPlanConfig(
            threads: cores, chunksPerThread: options.chunksPerThread, packMinimumReuse: options.packMinimumReuse,
            isa: options.isa, tileVectors: options.resolvedTileVectors, prefetchDistance: options.prefetchDistance,
            streamingStores: options.streamingStores, gatherSpMV: options.gatherSpMV, panelColumns: options.panelColumns,
            rowOrdering: options.rowOrdering)
    }

    /// `cpu.t2.c8.p32.avx512.v8.d4.nt0.g0.k64` (`p-` for never repacking, `k0` for no panels),
    /// plus `.o1` (locality) or `.o2` (longest rows first) for a row order, as the GPU families'
    /// knob writes it.
    package var description: String {
        "cpu.t\(threads).c\(chunksPerThread).p\(packMinimumReuse == Int.max ? "-" : String(packMinimumReuse))"
            + ".\(isa.rawValue).v\(tileVectors).d\(prefetchDistance).nt\(streamingStores ? 1 : 0).g\(gatherSpMV ? 1 : 0)"
            + ".k\(panelColumns)" + (rowOrdering == .identity ? "" : ".o\(rowOrdering.idCode)")
    }

    /// The plan options of this config.
    package var options: CPUSpMMOptions {
        CPUSpMMOptions(
            maxThreads: threads, chunksPerThread: chunksPerThread, packMinimumReuse: packMinimumReuse, isa: isa,
            tileVectors: tileVectors, streamingStores: streamingStores, prefetchDistance: prefetchDistance,
            gatherSpMV: gatherSpMV, panelColumns: panelColumns, rowOrdering: rowOrdering)
    }
}

/// A CPU plan config that cannot run on this host.
package struct CPUPlanConfigError: Error, CustomStringConvertible {
    package var description: String
}

/// The CPU plan's search space, declared beside its measurer (``CPUSpMMMeasurer``) and searched
/// by the same ``Search`` as the GPU families.
package struct CPUPlanSpace: TuningSpace {
    package typealias Problem = CPUSpMMProblem
    package typealias Config = CPUPlanConfig

    /// The kernel paths searched (default: every path this host runs).
    package var isas: [CPUISA]
    /// The row orders searched (default: ``defaultRowOrders``).
    package var rowOrders: [RowOrdering]

    /// The row orders the CPU space searches unless told: the identity only. On a 2-core Xeon
    /// (docs/perf/2026-12-02-cpu-xeon-row-order-ab) both other orders made the plan 10-16% slower
    /// on DLMC rn50 and transformer at 0.9, n = 256, timed both ways round; on a 2-core EPYC
    /// (docs/perf/2026-12-01-h200-issue13, CPU section, one way round) longest-first gained on rn50
    /// and neither on the transformer. `CPUPlanSpace(rowOrders:)` searches them, `sparrow bench
    /// spmm --cpu-row-order` times them.
    package static let defaultRowOrders: [RowOrdering] = [.identity]

    package init(isas: [CPUISA] = CPUISA.supported, rowOrders: [RowOrdering] = CPUPlanSpace.defaultRowOrders) {
        self.isas = isas
        self.rowOrders = rowOrders.isEmpty ? [.identity] : rowOrders
    }

    package var name: String { "spmm-cpu" }

    /// Threads 1, half and all of the cores; 4, 8 or 16 chunks per thread; repacking X from a reuse
    /// of 2, 8 or 32, or never; every kernel path the host runs; tiles of 1, 2, 4 or 8 vectors;
    /// prefetching off or 4 values ahead; plain or streaming stores; scalar or gathering SpMV; W
    /// in column panels of 64 or not; each of ``rowOrders``.
    package func enumerate(_ problem: CPUSpMMProblem) -> [CPUPlanConfig] {
        let threads = Array(Set([1, max(1, problem.cores / 2), problem.cores])).sorted()
        var list: [CPUPlanConfig] = []
        for t in threads {
            for chunks in [4, 8, 16] {
                for reuse in [2, 8, 32, Int.max] {
                    for isa in isas {
                        for vectors in [1, 2, 4, 8] {
                            for distance in [0, 4] {
                                for streaming in [false, true] {
                                    for gather in [false, true] {
                                        for panels in [0, 64] {
                                            for ordering in rowOrders {
                                                list.append(CPUPlanConfig(
                                                    threads: t, chunksPerThread: chunks, packMinimumReuse: reuse, isa: isa,
                                                    tileVectors: vectors, prefetchDistance: distance, streamingStores: streaming,
                                                    gatherSpMV: gather, panelColumns: panels, rowOrdering: ordering))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return list
    }

    package func legalityError(_ config: CPUPlanConfig, for problem: CPUSpMMProblem) -> (any Error)? {
        if config.threads < 1 || config.threads > problem.cores {
            return CPUPlanConfigError(description: "\(config.threads) threads: the host runs 1 to \(problem.cores)")
        }
        if config.chunksPerThread < 1 || config.packMinimumReuse < 1 {
            return CPUPlanConfigError(description: "chunks per thread and reuse must be at least 1")
        }
        if !config.isa.isSupported {
            return CPUPlanConfigError(description: "this CPU cannot run the \(config.isa) kernels")
        }
        if !(1...8).contains(config.tileVectors) || config.prefetchDistance < 0 || config.panelColumns < 0 {
            return CPUPlanConfigError(
                description: "tiles hold 1 to 8 vectors, prefetching looks ahead 0 or more values, panels are 0 or more columns")
        }
        return nil
    }

    package var rules: [PruningRule<CPUSpMMProblem, CPUPlanConfig>] {
        [Self.samePackingDecision, Self.chunksOfOneThread, Self.tileWiderThanX, Self.vectorKnobsOfSpMV, Self.panelsThatChangeNothing]
    }

    /// Panels as wide as W (one panel) or under the SpMV kernel (one column of X, no slab to keep
    /// in L1) run the plain layout's loop; with panels the prefetch distance is not used.
    static let panelsThatChangeNothing = PruningRule<CPUSpMMProblem, CPUPlanConfig>(
        "panels-that-change-nothing",
        reason: "one panel, or panels under the SpMV kernel, run the plain loop; panelled plans do not prefetch",
        provenance: .algorithm("CPUSpMMPlan: one panel is the plain layout, panels turn prefetching off")
    ) { config, problem in
        config.panelColumns > 0 && (problem.columns <= config.panelColumns || problem.m == 1 || config.prefetchDistance != 0)
    }

    /// A tile at least twice as wide as X runs the same vectors as the narrowest tile covering X.
    static let tileWiderThanX = PruningRule<CPUSpMMProblem, CPUPlanConfig>(
        "tile-wider-than-x",
        reason: "tiles wider than X's columns run the same code as the narrowest one that covers them",
        provenance: .algorithm("a tile covers min(tile, m) columns")
    ) { config, problem in
        let needed = max(1, (problem.m + config.isa.lanes - 1) / config.isa.lanes)
        return config.tileVectors > 1 && config.tileVectors / 2 >= needed
    }

    /// With one column (the SpMV kernel) tiles, prefetching and streaming stores do nothing; with
    /// more, gathering does nothing; the portable path has no gathers.
    static let vectorKnobsOfSpMV = PruningRule<CPUSpMMProblem, CPUPlanConfig>(
        "vector-knobs-of-spmv",
        reason: "the SpMV kernel (m = 1) has no register tiles, prefetching or streaming stores; wider X never gathers",
        provenance: .algorithm("m = 1 runs the SpMV kernel, scalar or gathering")
    ) { config, problem in
        problem.m == 1
            ? (config.tileVectors != 1 || config.prefetchDistance != 0 || config.streamingStores
                || (config.gatherSpMV && config.isa == .portable))
            : config.gatherSpMV
    }

    /// Reuse thresholds that make the same pack-or-not decision for this problem as a smaller one
    /// run the same code: keep the first of each decision.
    static let samePackingDecision = PruningRule<CPUSpMMProblem, CPUPlanConfig>(
        "same-packing-decision",
        reason: "a reuse threshold that repacks X exactly when a smaller one does runs the same plan",
        provenance: .algorithm("the threshold only decides whether X is repacked")
    ) { candidates, problem in
        // The other knobs with the decision: the decision depends on the tile width too.
        struct Key: Hashable {
            var config: CPUPlanConfig
            var repacks: Bool
        }
        func key(_ config: CPUPlanConfig) -> Key {
            var rest = config
            rest.packMinimumReuse = 0
            return Key(config: rest, repacks: problem.repacks(config))
        }
        var firstThreshold: [Key: Int] = [:]
        for config in candidates {
            let k = key(config)
            firstThreshold[k] = min(firstThreshold[k] ?? Int.max, config.packMinimumReuse)
        }
        return { config in firstThreshold[key(config)] != config.packMinimumReuse }
    }

    /// One thread splits nothing: its chunk count does not matter beyond the default.
    static let chunksOfOneThread = PruningRule<CPUSpMMProblem, CPUPlanConfig>(
        "chunks-of-one-thread",
        reason: "a single thread runs its chunks in order, so only one chunk count is kept",
        provenance: .algorithm("chunks balance work between threads")
    ) { config, _ in
        config.threads == 1 && config.chunksPerThread != CPUSpMMOptions().chunksPerThread
    }
}
