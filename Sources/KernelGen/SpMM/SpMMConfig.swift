/// How one SpMM kernel is shaped: which family, and that family's knobs.
///
/// A config says nothing about a particular matrix; ``validate(for:)`` checks it against a
/// problem and its device. The compact ``description`` (`r4.t8.c64.v4.k32.db1`) names it in
/// generated source, entry points, logs and the tuning database; ``init(parsing:)`` reads it back.
/// Each family's fields, rules, layout and renderer live in its own folder (`Simple/`, `Tiled/`,
/// `XTile/`), behind ``SpMMFamilyConfig``.
package enum SpMMConfig: Sendable, Hashable {
    /// One thread per output element; the simple, obviously correct first kernel.
    case simple(SimpleConfig)
    /// Sputnik-class 1-D tiling: a subwarp computes one output row over a tile of columns,
    /// the row's nonzeros staged in shared memory chunk by chunk.
    case tiled(TiledConfig)
    /// X-tiled: a block of rows walks K in chunks, staging each chunk's tile of X in shared
    /// memory once for all its rows.
    case xTile(XTileConfig)
    /// Memory-bound SpMV/SpMM for narrow X (m <= 32) over the compact formats (16-bit indices or
    /// 4-bit deltas): fewer bytes of W per nonzero, X staged in shared memory.
    case compact(CompactConfig)
    /// SparseRT-style: W's pattern (and optionally its values) written into the source, one
    /// straight-line code path per group of rows; compiled per matrix.
    case specialised(SpecialisedConfig)
    /// Tensor-core SpMM over the bitmap format (16 x 16 blocks of 8 x 8 masks): warps expand W's
    /// tiles into mma.sync A fragments, X is the B operand, any m.
    case bitmap(BitmapConfig)
    /// 2:4 sparse tensor-core SpMM (``SparseFormats/TwoFourMatrix``, mma.sp m16n8k32): W pruned 2:4
    /// along its rows, the hardware decodes the indices, X is the B operand, any m.
    case twoFour(TwoFourConfig)
    /// Tensor-core SpMM over the fragment-COO format (``SparseFormats/FragmentCOOMatrix``: each
    /// nonzero's value and its byte position in a 16 x 16 block's A fragment): warps scatter the
    /// nonzeros into zeroed fragments in shared memory, so the decode follows the nonzeros; any m.
    case fragmentCOO(FragmentCOOConfig)

    /// The kernel families, as named in ids and logs.
    package enum Family: String, Sendable, Hashable, Codable, CaseIterable {
        case simple
        case tiled
        case xTile = "xtile"
        case compact
        case specialised = "spec"
        case bitmap
        case twoFour = "sp24"
        case fragmentCOO = "fcoo"
    }

    /// This config's family.
    package var family: Family {
        switch self {
        case .simple: .simple
        case .tiled: .tiled
        case .xTile: .xTile
        case .compact: .compact
        case .specialised: .specialised
        case .bitmap: .bitmap
        case .twoFour: .twoFour
        case .fragmentCOO: .fragmentCOO
        }
    }

    /// The family config, for what every family provides.
    package var familyConfig: any SpMMFamilyConfig {
        switch self {
        case let .simple(config): config
        case let .tiled(config): config
        case let .xTile(config): config
        case let .compact(config): config
        case let .specialised(config): config
        case let .bitmap(config): config
        case let .twoFour(config): config
        case let .fragmentCOO(config): config
        }
    }

    /// The tiled config, or nil for another family.
    package var asTiled: TiledConfig? { if case let .tiled(config) = self { config } else { nil } }
    /// The X-tiled config, or nil for another family.
    package var asXTile: XTileConfig? { if case let .xTile(config) = self { config } else { nil } }
    /// The compact config, or nil for another family.
    package var asCompact: CompactConfig? { if case let .compact(config) = self { config } else { nil } }
    /// The specialised config, or nil for another family.
    package var asSpecialised: SpecialisedConfig? { if case let .specialised(config) = self { config } else { nil } }
    /// The bitmap config, or nil for another family.
    package var asBitmap: BitmapConfig? { if case let .bitmap(config) = self { config } else { nil } }
    /// The 2:4 config, or nil for another family.
    package var asTwoFour: TwoFourConfig? { if case let .twoFour(config) = self { config } else { nil } }
    /// The fragment-COO config, or nil for another family.
    package var asFragmentCOO: FragmentCOOConfig? { if case let .fragmentCOO(config) = self { config } else { nil } }

    /// Threads per block.
    package var threadsPerBlock: Int { familyConfig.threadsPerBlock }
    /// The block shape.
    package var blockDimensions: LaunchDimensions { familyConfig.blockDimensions }
    /// The grid that covers `problem`.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions { familyConfig.gridDimensions(for: problem) }
    /// Dynamic shared memory per block, in bytes.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int { familyConfig.sharedMemoryBytes(for: problem) }
    /// Oldest architecture the rendered source compiles for (`cp.async` needs 8.0).
    package var minimumComputeCapability: ComputeCapability { familyConfig.minimumComputeCapability }

    /// Checks every rule that makes this config unable to run `problem` on `problem.device`,
    /// throwing the first one broken.
    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        try validateRowOrder(for: problem)
        try familyConfig.validate(for: problem.ordered(for: self))
    }
}

extension SpMMConfig {
    /// A tiled (Sputnik-class) config; check it with ``validate(for:)``.
    package static func tiled(
        subwarpSize: Int, rowsPerBlock: Int, tileWidth: Int, vectorWidth: Int, chunkSize: Int,
        doubleBuffered: Bool, rowSplit: Int = 1, unroll: Int = 0
    ) -> SpMMConfig {
        .tiled(TiledConfig(
            subwarpSize: subwarpSize, rowsPerBlock: rowsPerBlock, tileWidth: tileWidth, vectorWidth: vectorWidth,
            chunkSize: chunkSize, doubleBuffered: doubleBuffered, rowSplit: rowSplit, unroll: unroll))
    }

    /// An X-tiled config; check it with ``validate(for:)``.
    package static func xTile(
        subwarpSize: Int, rowsPerBlock: Int, tileWidth: Int, vectorWidth: Int, chunkSize: Int,
        doubleBuffered: Bool
    ) -> SpMMConfig {
        .xTile(XTileConfig(
            subwarpSize: subwarpSize, rowsPerBlock: rowsPerBlock, tileWidth: tileWidth, vectorWidth: vectorWidth,
            chunkSize: chunkSize, doubleBuffered: doubleBuffered))
    }

    /// The simple kernel: blocks of `threadsPerRow` x `rowsPerBlock` threads, one per output element.
    package static func simpleCSR(threadsPerRow: Int = 32, rowsPerBlock: Int = 8) -> SpMMConfig {
        .simple(SimpleConfig(threadsPerRow: threadsPerRow, rowsPerBlock: rowsPerBlock))
    }
}
