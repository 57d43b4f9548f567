import KernelGen
import SparseFormats

/// The GPU SpMM search space: the knob subsets the search considers (``enumerate(for:)``), cut to
/// the legal configs (KernelGen's ``SpMMConfig/validate(for:)``) and then by pruning ``rules``.
///
/// Sections of the enumeration, each set of knobs chosen for what it is for (`threads` is the
/// block size; with a split, the block holds `threads / (subwarp x split)` rows):
/// - tiled, unsplit, blocks of 64-256 threads: every subwarp, vector width, 1-4 vectors per
///   lane, chunks of 32-128, single and double buffered;
/// - tiled, rows split 2-16 ways (to add parallelism, so only knobs that do not take it away
///   again): subwarps of 8+ lanes, blocks of 128 or 256 threads, 1-2 vectors per lane, chunks of
///   32 or 64 (a segment is a fraction of a row);
/// - tiled wide blocks of 512 or 1024 threads (the kernel declares `__launch_bounds__` for 1024
///   resident threads), one vector per lane so an SM's L1 serves few column tiles of X to many
///   rows, splits of 1, 2 and 4 (chunks of 32 or 64 unsplit, 32 split);
/// - every tiled config also with an explicit unroll of 8, right after it;
/// - X-tiled, blocks of 128 or 256 threads, 1-8 vectors per lane (small subwarps with many
///   rows need several to cover a useful tile), chunks of 32-128 rows of K;
/// - simple, blocks of 128 or 256 threads;
/// - every config above again under each non-identity row order of ``rowOrders`` (the knob,
///   SpMMConfig+RowOrder.swift), after all of them, where the problem's rows are in their own
///   order (SpMMSpace+RowOrder.swift);
/// - compact (m <= 32 only), see ``compactConfigs(for:)``: 384 configs before legality and pruning;
/// - specialised (per matrix, up to the size limit), see ``specialisedConfigs(for:)``: 320;
/// - bitmap (fp16 / bf16 tensor cores, any m), see ``bitmapConfigs(for:)``: 1,296 before legality and pruning.
/// - 2:4 (W pruned 2:4, fp16 / bf16 sparse tensor cores, any m), see ``twoFourConfigs(for:)``: 3,072 before legality and pruning.
/// - fragment-COO (fp16 / bf16 tensor cores, any m), see ``fragmentCOOConfigs(for:)``: 1,728 before legality and pruning.
///
/// The space is at most about 6,500 configs (about 2,100 CSR configs, three row orders), in a
/// stable order, and never empty for a valid problem that enumerates the simple family (simple
/// `r8.t32` is always legal).
package struct SpMMSpace: TuningSpace {
    /// The pruning rules, applied in order after legality.
    package var rules: [SpMMPruningRule]
    /// The families enumerated (all by default).
    package var families: Set<SpMMConfig.Family>
    /// The row orders the row-order knob takes (all by default; the identity is always searched).
    package var rowOrders: [RowOrdering]

    package init(
        rules: [SpMMPruningRule] = SpMMPruningRule.standard, families: Set<SpMMConfig.Family> = Set(SpMMConfig.Family.allCases),
        rowOrders: [RowOrdering] = RowOrdering.allCases
    ) {
        self.rules = rules
        self.families = families
        self.rowOrders = rowOrders
    }

    /// The families that read W as CSR with 32-bit indices (every family before the compact one).
    package static let csrFamilies: Set<SpMMConfig.Family> = [.simple, .tiled, .xTile]

    /// Threads per block of the unsplit tiled section.
    static let blockThreadChoices = [64, 128, 256]
    /// Dense vectors per lane of the unsplit tiled section (tile = that x vector x subwarp).
    static let vectorsPerThreadChoices = [1, 2, 4]
    /// Chunk sizes of the unsplit tiled and X-tiled sections.
    static let chunkChoices = [32, 64, 128]
    /// The explicit unroll every tiled config is also considered with.
    static let maxUnroll = 8
    /// Block sizes of the wide-block tiled section.
    static let wideBlockThreads = [512, 1024]
    /// Chunk sizes with a row split.
    static let splitChunkChoices = [32, 64]
    /// Dense vectors per lane of the X-tiled section.
    static let xTileVectorsPerThreadChoices = [1, 2, 4, 8]

    /// Every config the search considers for `problem`, legal or not, before pruning; unique.
    package func enumerate(for problem: SpMMProblem) -> [SpMMConfig] {
        var list: [SpMMConfig] = []
        func addTiled(_ config: TiledConfig) {
            list.append(.tiled(config))
            var unrolled = config
            unrolled.unroll = Self.maxUnroll
            list.append(.tiled(unrolled))
        }
        let vectors = TiledConfig.vectorWidths
        for subwarp in TiledConfig.subwarpSizes {
            for threads in Self.blockThreadChoices where threads >= subwarp {
                for vector in vectors {
                    for perThread in Self.vectorsPerThreadChoices {
                        for chunk in Self.chunkChoices {
                            for doubleBuffered in [false, true] {
                                addTiled(TiledConfig(
                                    subwarpSize: subwarp, rowsPerBlock: threads / subwarp,
                                    tileWidth: perThread * vector * subwarp, vectorWidth: vector, chunkSize: chunk,
                                    doubleBuffered: doubleBuffered))
                            }
                        }
                    }
                }
            }
        }
        for split in TiledConfig.rowSplits.dropFirst() {
            for subwarp in [8, 16, 32] {
                for threads in [128, 256] where threads >= subwarp * split {
                    for perThread in [1, 2] {
                        for vector in vectors {
                            for chunk in Self.splitChunkChoices {
                                for doubleBuffered in [false, true] {
                                    addTiled(TiledConfig(
                                        subwarpSize: subwarp, rowsPerBlock: threads / (subwarp * split),
                                        tileWidth: perThread * vector * subwarp, vectorWidth: vector, chunkSize: chunk,
                                        doubleBuffered: doubleBuffered, rowSplit: split))
                                }
                            }
                        }
                    }
                }
            }
        }
        for threads in Self.wideBlockThreads {
            for subwarp in TiledConfig.subwarpSizes {
                for vector in vectors {
                    for split in [1, 2, 4] where subwarp * split <= threads {
                        for chunk in split == 1 ? Self.splitChunkChoices : [Self.chunkChoices[0]] {
                            for doubleBuffered in [false, true] {
                                addTiled(TiledConfig(
                                    subwarpSize: subwarp, rowsPerBlock: threads / (subwarp * split),
                                    tileWidth: vector * subwarp, vectorWidth: vector, chunkSize: chunk,
                                    doubleBuffered: doubleBuffered, rowSplit: split))
                            }
                        }
                    }
                }
            }
        }
        for subwarp in XTileConfig.subwarpSizes {
            for threads in [128, 256] {
                for perThread in Self.xTileVectorsPerThreadChoices {
                    for vector in XTileConfig.vectorWidths {
                        for chunk in Self.chunkChoices {
                            for doubleBuffered in [false, true] {
                                list.append(.xTile(XTileConfig(
                                    subwarpSize: subwarp, rowsPerBlock: threads / subwarp,
                                    tileWidth: perThread * vector * subwarp, vectorWidth: vector, chunkSize: chunk,
                                    doubleBuffered: doubleBuffered)))
                            }
                        }
                    }
                }
            }
        }
        for threadsPerRow in SimpleConfig.threadsPerRowChoices {
            for threads in [128, 256] {
                list.append(.simple(SimpleConfig(threadsPerRow: threadsPerRow, rowsPerBlock: threads / threadsPerRow)))
            }
        }
        list = list.filter { families.contains($0.family) }
        list += rowOrderTwins(of: list, for: problem)
        if families.contains(.compact) { list += compactConfigs(for: problem) }
        if families.contains(.bitmap) { list += bitmapConfigs(for: problem) }
        if families.contains(.twoFour) { list += twoFourConfigs(for: problem) }
        if families.contains(.fragmentCOO) { list += fragmentCOOConfigs(for: problem) }
        return families.contains(.specialised) ? list + specialisedConfigs(for: problem) : list
    }

    package var name: String { "spmm-gpu" }

    /// ``enumerate(for:)``, as ``TuningSpace`` names it.
    package func enumerate(_ problem: SpMMProblem) -> [SpMMConfig] { enumerate(for: problem) }

    /// KernelGen's legality rules (``SpMMConfig/validate(for:)``): the one place they live.
    package func legalityError(_ config: SpMMConfig, for problem: SpMMProblem) -> (any Error)? {
        do {
            try config.validate(for: problem)
            return nil
        } catch {
            return error
        }
    }

    /// The legal configs of `problem` that no rule removes, in enumeration order; never empty.
    package func configs(for problem: SpMMProblem) -> [SpMMConfig] {
        let survivors = prune(problem).survivors
        precondition(!survivors.isEmpty, "simple r8.t32 must be legal and kept for every valid problem")
        return survivors
    }
}
