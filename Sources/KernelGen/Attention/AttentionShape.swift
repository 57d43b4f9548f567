/// The run-time shape an attention launch covers: sequence length, batch x heads, ACSR's
/// segments per row and the view stride. It sets the grid and names the generated source; the
/// kernel body does not depend on it (one compiled kernel serves every shape).
///
/// The view stride `v` (tensor-core kernel only) groups queries by residue modulo `v`: a block
/// takes 16 x warps queries `r, r + v, r + 2v, ...` and walks keys `r + v u`. The launcher picks
/// `v` so that every key of every row `i` is congruent to `i` modulo `v` (a dilated pattern's
/// stride; 1 always qualifies): then the strided keys of a dilated window sit densely in the
/// shared-memory tile.
package struct AttentionShape: Sendable, Hashable, Codable, CustomStringConvertible {
    package var length: Int
    package var batchHeads: Int
    package var segmentsPerRow: Int
    package var viewStride: Int
    /// Stored scores (ACSR's nnz per head): the unfused path's buffer holds batchHeads x nnz floats.
    package var nnz: Int
    /// Keys of the longest row (what the Tuner reads to weigh splitting long rows' blocks);
    /// nnz / length rounded up when not given.
    package var longestRow: Int

    package init(length: Int, batchHeads: Int, segmentsPerRow: Int, viewStride: Int = 1, nnz: Int, longestRow: Int? = nil) throws(AttentionShapeError) {
        guard length >= 1 else { throw .emptySequence(length) }
        guard batchHeads >= 1 else { throw .noHeads(batchHeads) }
        guard segmentsPerRow >= 1 else { throw .segmentsPerRow(segmentsPerRow, limit: AttentionConfig.maxSegmentsPerRow) }
        guard viewStride >= 1, viewStride <= length else { throw .viewStride(viewStride, length: length) }
        guard nnz >= 0 else { throw .negativeNNZ(nnz) }
        self.length = length
        self.batchHeads = batchHeads
        self.segmentsPerRow = segmentsPerRow
        self.viewStride = viewStride
        self.nnz = nnz
        self.longestRow = longestRow ?? (nnz + length - 1) / length
    }

    package var description: String { "L=\(length) bh=\(batchHeads) S=\(segmentsPerRow) view=\(viewStride) nnz=\(nnz) longest=\(longestRow)" }
}

/// A run shape the attention kernels cannot launch.
package enum AttentionShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptySequence(Int)
    case noHeads(Int)
    case segmentsPerRow(Int, limit: Int)
    case viewStride(Int, length: Int)
    case negativeNNZ(Int)
    case gridTooLarge(dimension: String, blocks: Int, limit: Int)

    package var description: String {
        switch self {
        case let .emptySequence(l): "attention over \(l) tokens: nothing to launch (length must be at least 1)"
        case let .noHeads(n): "attention over \(n) batch x heads: must be at least 1"
        case let .segmentsPerRow(s, limit): "ACSR with \(s) segments per row: the tensor-core kernel keeps 1...\(limit)"
        case let .viewStride(v, l): "view stride \(v) must be in 1...\(l) (the sequence length)"
        case let .negativeNNZ(n): "nnz \(n) is negative"
        case let .gridTooLarge(dimension, blocks, limit): "attention grid \(dimension) would need \(blocks) blocks, above \(limit)"
        }
    }
}
