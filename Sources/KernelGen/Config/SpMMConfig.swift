/// How one SpMM kernel is shaped: which family, and the tile sizes of that family.
///
/// A config says nothing about a particular matrix; ``validate(for:)`` checks it against a
/// problem and its device. The compact ``description`` (`r4.t8.c64.v4.k32.db1`) names it in
/// generated source, entry points, logs and the tuning database; ``init(parsing:)`` reads it back.
///
/// The knobs mean slightly different things per family; each field's comment says how.
public struct SpMMConfig: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kernel family.
    public enum Variant: String, Sendable, Hashable, Codable, CaseIterable {
        /// One thread per output element; the simple, obviously correct first kernel.
        case simpleCSR = "simple"
        /// Sputnik-class 1-D tiling: a subwarp computes one output row over a tile of columns,
        /// the row's nonzeros staged in shared memory chunk by chunk.
        case tiled
        /// X-tiled: a block of `rowsPerBlock` rows walks K in chunks of `chunkSize` rows of X,
        /// staging each chunk's `tileWidth` columns in shared memory once for all its rows, so an
        /// X element read from L2 is reused by every row of the block with a nonzero in that column.
        case xTile = "xtile"
    }

    public var variant: Variant
    /// Threads that share one output row (a subwarp: 4, 8, 16 or 32). For ``Variant/simpleCSR``,
    /// the threads of a block along the columns of Y.
    public var subwarpSize: Int
    /// Output rows per thread block (`rowSplit` subwarps each).
    public var rowsPerBlock: Int
    /// Columns of Y one subwarp computes (tiled); equals `subwarpSize` for simpleCSR.
    public var tileWidth: Int
    /// Elements per dense load of X and store of Y (1, 2, 4; 8 for 16-bit types).
    public var vectorWidth: Int
    /// Nonzeros of a row staged in shared memory per step (tiled); rows of X (a range of K)
    /// staged per step (xTile); 0 for simpleCSR.
    public var chunkSize: Int
    /// Prefetch the next chunk with `cp.async` while the current one is multiplied (sm_80+);
    /// for xTile the chunk of X.
    public var doubleBuffered: Bool
    /// Subwarps that share one output row (tiled; 1, 2, 4, 8 or 16): each multiplies a contiguous
    /// segment of the row's nonzeros, and the partial tiles are summed through shared memory.
    /// 1 for simpleCSR and xTile. Rows are long and few in pruned CNN layers: splitting them multiplies the
    /// subwarps in flight and divides each one's serial walk over the row.
    public var rowSplit: Int
    /// Staged nonzeros whose X loads a tiled thread issues together before their FMAs (1, 2, 4
    /// or 8); 0 picks ``macUnroll``'s rule from the tile. More loads in flight hide latency when
    /// rows are short and the grid is small, at the cost of registers.
    public var unroll: Int

    /// A tiled (Sputnik-class) config; check it with ``validate(for:)``.
    public static func tiled(
        subwarpSize: Int, rowsPerBlock: Int, tileWidth: Int, vectorWidth: Int, chunkSize: Int,
        doubleBuffered: Bool, rowSplit: Int = 1, unroll: Int = 0
    ) -> SpMMConfig {
        SpMMConfig(
            variant: .tiled, subwarpSize: subwarpSize, rowsPerBlock: rowsPerBlock, tileWidth: tileWidth,
            vectorWidth: vectorWidth, chunkSize: chunkSize, doubleBuffered: doubleBuffered, rowSplit: rowSplit,
            unroll: unroll)
    }

    /// An X-tiled config (R = `rowsPerBlock` rows of `subwarpSize` lanes per block, T = `tileWidth`
    /// columns, X staged `chunkSize` rows of K at a time); check it with ``validate(for:)``.
    public static func xTile(
        subwarpSize: Int, rowsPerBlock: Int, tileWidth: Int, vectorWidth: Int, chunkSize: Int,
        doubleBuffered: Bool
    ) -> SpMMConfig {
        SpMMConfig(
            variant: .xTile, subwarpSize: subwarpSize, rowsPerBlock: rowsPerBlock, tileWidth: tileWidth,
            vectorWidth: vectorWidth, chunkSize: chunkSize, doubleBuffered: doubleBuffered)
    }

    /// The simple kernel: blocks of `threadsPerRow` x `rowsPerBlock` threads, one per output element.
    public static func simpleCSR(threadsPerRow: Int = 32, rowsPerBlock: Int = 8) -> SpMMConfig {
        SpMMConfig(
            variant: .simpleCSR, subwarpSize: threadsPerRow, rowsPerBlock: rowsPerBlock,
            tileWidth: threadsPerRow, vectorWidth: 1, chunkSize: 0, doubleBuffered: false)
    }

    public init(
        variant: Variant, subwarpSize: Int, rowsPerBlock: Int, tileWidth: Int, vectorWidth: Int,
        chunkSize: Int, doubleBuffered: Bool, rowSplit: Int = 1, unroll: Int = 0
    ) {
        self.variant = variant
        self.subwarpSize = subwarpSize
        self.rowsPerBlock = rowsPerBlock
        self.tileWidth = tileWidth
        self.vectorWidth = vectorWidth
        self.chunkSize = chunkSize
        self.doubleBuffered = doubleBuffered
        self.rowSplit = rowSplit
        self.unroll = unroll
    }

    private enum CodingKeys: String, CodingKey {
        case variant, subwarpSize, rowsPerBlock, tileWidth, vectorWidth, chunkSize, doubleBuffered, rowSplit, unroll
    }

    /// Decodes a config; `rowSplit` and `unroll` are optional (records written before those
    /// knobs existed mean 1 and 0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            variant: try container.decode(Variant.self, forKey: .variant),
            subwarpSize: try container.decode(Int.self, forKey: .subwarpSize),
            rowsPerBlock: try container.decode(Int.self, forKey: .rowsPerBlock),
            tileWidth: try container.decode(Int.self, forKey: .tileWidth),
            vectorWidth: try container.decode(Int.self, forKey: .vectorWidth),
            chunkSize: try container.decode(Int.self, forKey: .chunkSize),
            doubleBuffered: try container.decode(Bool.self, forKey: .doubleBuffered),
            rowSplit: try container.decodeIfPresent(Int.self, forKey: .rowSplit) ?? 1,
            unroll: try container.decodeIfPresent(Int.self, forKey: .unroll) ?? 0)
    }

    /// Threads per block: `rowsPerBlock x rowSplit` subwarps of `subwarpSize` lanes.
    public var threadsPerBlock: Int { rowsPerBlock * rowSplit * subwarpSize }

    /// Subwarps per block (each owns one staging area).
    public var subwarpsPerBlock: Int { rowsPerBlock * rowSplit }

    /// Dense vectors (of `vectorWidth` elements) each thread loads per nonzero and stores at the end.
    public var vectorsPerThread: Int { tileWidth / max(1, vectorWidth * subwarpSize) }

    /// Elements per vector load of a row's values and column indices when staging a chunk: the
    /// widest of 4, 2, 1 that divides each lane's share (`chunkSize / subwarpSize`). Row starts are
    /// rounded down to a multiple of it (the reverse-offset trick).
    public var sparseVectorWidth: Int {
        guard subwarpSize > 0, chunkSize % subwarpSize == 0 else { return 1 }
        let share = chunkSize / subwarpSize
        return share % 4 == 0 ? 4 : share % 2 == 0 ? 2 : 1
    }

    /// Staged nonzeros the tiled kernel multiplies per step with all their X loads issued first:
    /// `clamp(16 / (vectorsPerThread x vectorWidth), 1, 4)`, so the values in flight stay within
    /// 16 registers per thread.
    /// `unroll` when set.
    public var macUnroll: Int {
        unroll > 0 ? unroll : min(4, max(1, 16 / max(1, vectorsPerThread * vectorWidth)))
    }

    /// `r4.t8.c64.v4.k32.db1` (tiled), `r1.t32.c128.v4.k64.db1.s8` (tiled, rows split 8 ways;
    /// the `.s` part is left out for 1, so ids from before the knob still name the same kernel;
    /// likewise `.u8` names an explicit unroll and is left out for the automatic one)
    /// `xtile.r32.t8.c128.v4.k64.db1` (X-tiled; `k` is the chunk of K rows) or `simple.r8.t32`.
    public var description: String {
        switch variant {
        case .simpleCSR:
            "simple.r\(rowsPerBlock).t\(subwarpSize)"
        case .xTile:
            "xtile.r\(rowsPerBlock).t\(subwarpSize).c\(tileWidth).v\(vectorWidth).k\(chunkSize).db\(doubleBuffered ? 1 : 0)"
        case .tiled:
            "r\(rowsPerBlock).t\(subwarpSize).c\(tileWidth).v\(vectorWidth).k\(chunkSize).db\(doubleBuffered ? 1 : 0)"
                + (rowSplit == 1 ? "" : ".s\(rowSplit)") + (unroll == 0 ? "" : ".u\(unroll)")
        }
    }

    /// The description with `_` for `.`, usable in a C identifier.
    public var identifier: String { String(description.map { $0 == "." ? "_" : $0 }) }

    /// Reads a ``description`` back.
    public init(parsing text: String) throws(ConfigError) {
        var parts = text.split(separator: ".").map(String.init)
        let simple = parts.first == "simple"
        let xTile = parts.first == "xtile"
        if simple || xTile { parts.removeFirst() }
        var fields: [String: Int] = [:]
        for part in parts {
            let key = String(part.prefix(while: { $0.isLetter }))
            guard !key.isEmpty, let value = Int(part.dropFirst(key.count)), fields[key] == nil else {
                throw .unparsable(text)
            }
            fields[key] = value
        }
        if simple {
            guard fields.count == 2, let r = fields["r"], let t = fields["t"] else { throw .unparsable(text) }
            self = .simpleCSR(threadsPerRow: t, rowsPerBlock: r)
        } else if xTile {
            guard fields.count == 6, let r = fields["r"], let t = fields["t"], let c = fields["c"],
                let v = fields["v"], let k = fields["k"], let db = fields["db"], db == 0 || db == 1
            else { throw .unparsable(text) }
            self = .xTile(
                subwarpSize: t, rowsPerBlock: r, tileWidth: c, vectorWidth: v, chunkSize: k, doubleBuffered: db == 1)
        } else {
            let split = fields["s"] ?? 1
            let unroll = fields["u"] ?? 0
            guard fields.count == 6 + (fields["s"] == nil ? 0 : 1) + (fields["u"] == nil ? 0 : 1), let r = fields["r"], let t = fields["t"],
                let c = fields["c"], let v = fields["v"], let k = fields["k"], let db = fields["db"],
                db == 0 || db == 1
            else { throw .unparsable(text) }
            self = .tiled(
                subwarpSize: t, rowsPerBlock: r, tileWidth: c, vectorWidth: v, chunkSize: k,
                doubleBuffered: db == 1, rowSplit: split, unroll: unroll)
        }
    }
}
