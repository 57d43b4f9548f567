// How the dense dimension M is cut into register tiles.
//
// Main tiles are four SIMD16 vectors (64 columns; two, 32 columns, in builds without FMA,
// whose 16 SSE registers hold only four SIMD16 values). What is left is covered by up to
// that many SIMD16 vectors, the last one placed at M - 16 so it overlaps columns already
// computed instead of reading past the end (there are no masked loads in Swift's SIMD).
// Below 16 columns SIMD8 or SIMD4 pairs do the same; below 4, scalar columns.
// A "slot" is one main tile, and the last slot also carries the remainder, so that an
// overlapping vector is always written by the same thread as the tile it overlaps.

/// One register tile: `count` vectors of `width` floats at `offsets`, or scalar columns.
struct TileSpec {
    /// 16, 8 or 4; 1 means scalar columns `offsets.o0 ..< offsets.o0 + count`.
    var width: Int
    var count: Int
    var offsets: TileOffsets
}

struct TileSchedule {
    let m: Int
    /// X rows are 64-byte aligned with a stride of ``paddedWidth(_:)`` (the packed layout):
    /// every vector is loaded from an aligned address and the last one is stored in part.
    let padded: Bool

    /// Columns of a main tile.
    #if SPARROW_FMA || arch(arm64)
    static let tileWidth = 64
    #else
    static let tileWidth = 32
    #endif

    /// Row stride of the packed layout: M rounded up to 16 floats (64 bytes).
    static func paddedWidth(_ m: Int) -> Int { (m + 15) / 16 * 16 }

    /// Number of slots (at least 1 when m > 0).
    var slots: Int {
        let w = TileSchedule.tileWidth
        if padded && m > 8 { return (m + w - 1) / w }
        return m >= w ? m / w : (m > 0 ? 1 : 0)
    }

    /// Calls `body` with the tiles of `slot`, main tile first.
    @inline(__always)
    func forEachTile(inSlot slot: Int, _ body: (TileSpec) -> Void) {
        let w = TileSchedule.tileWidth
        if padded && m > 8 {
            // Vectors at aligned offsets c, c + 16, ...; no overlap.
            let c = slot * w
            let count = min(w / 16, (m - c + 15) / 16)
            body(TileSpec(
                width: 16, count: count,
                offsets: TileOffsets(o0: c, o1: c + 16, o2: c + 32, o3: c + 48, lastValid: m - c - 16 * (count - 1))))
        } else if padded && m > 4 {
            body(TileSpec(width: 8, count: 1, offsets: TileOffsets(o0: 0, lastValid: m)))
        } else if m >= 16 {
            let mainTiles = m / w
            if slot < mainTiles {
                let c = slot * w
                body(TileSpec(width: 16, count: w / 16, offsets: TileOffsets(o0: c, o1: c + 16, o2: c + 32, o3: c + 48)))
            }
            let start = mainTiles * w
            guard slot == slots - 1, start < m else { return }
            let vectors = (m - start + 15) / 16
            // Offsets start, start + 16, ..., then the last vector ends exactly at m.
            func offset(_ i: Int) -> Int { i < vectors - 1 ? start + 16 * i : (i == vectors - 1 ? m - 16 : 0) }
            body(TileSpec(
                width: 16, count: vectors,
                offsets: TileOffsets(o0: offset(0), o1: offset(1), o2: offset(2), o3: offset(3))))
        } else if m >= 8 {
            body(TileSpec(width: 8, count: m == 8 ? 1 : 2, offsets: TileOffsets(o0: 0, o1: m - 8)))
        } else if m >= 4 {
            body(TileSpec(width: 4, count: m == 4 ? 1 : 2, offsets: TileOffsets(o0: 0, o1: m - 4)))
        } else if m > 0 {
            body(TileSpec(width: 1, count: m, offsets: TileOffsets(o0: 0)))
        }
    }
}
