/// An attention pattern in affine CSR (SPLAT's ACSR): each query row's keys as a few affine
/// segments, so the metadata is O(rows) and kernels compute key positions instead of loading them.
///
/// Layout (what the GPU and CPU kernels read; every array row-major by query):
/// - `length` L: queries `0..<L` over keys `0..<L`.
/// - `segmentsPerRow` S >= 1: segments stored per row (the most any row needs).
/// - `segmentStart`, `segmentStride`, `segmentCount`: Int32, `L * S` each; segment `s` of row `i`
///   is at `i * S + s` and holds the keys `start + stride * t` for `t < count`. A used segment
///   has `count >= 1`, `stride >= 1` (1 when `count == 1`, as built here) and every key in
///   `0..<L`. Unused segments (`count == 0`) follow the used ones and are all zeros. A row's used
///   segments are sorted and their ranges disjoint: each starts after the previous one's last
///   key, so a row's keys, segment by segment, increase strictly.
/// - `rowLength`: Int32, L: the row's keys (the sum of its counts; 0 for an empty row).
/// - `rowOffset`: Int64, L + 1: the exclusive prefix sum of `rowLength`. The sparse position of
///   key `t` of segment `s` of row `i` is `rowOffset[i] + (counts of segments before s) + t`:
///   where the unfused SDDMM writes its score and the SpMM reads it (CSR order, see ``csr(values:)``).
///
/// Every value is valid: ``init(validating:segmentsPerRow:segmentStart:segmentStride:segmentCount:rowLength:rowOffset:)``
/// checks raw arrays, ``init(_:length:maxSegmentsPerRow:)`` builds from an ``AttentionPattern``.
public struct ACSR: Sendable, Hashable {
    /// One affine run of keys: `start + stride * t` for `t < count`.
    public struct Segment: Sendable, Hashable {
        public var start: Int
        public var stride: Int
        public var count: Int

        public init(start: Int, stride: Int, count: Int) {
            self.start = start
            self.stride = stride
            self.count = count
        }

        /// The segment's last key (its start when it holds one key or none).
        public var last: Int { start + stride * max(count - 1, 0) }
    }

    /// Sequence length L: queries and keys.
    public let length: Int
    /// Segments stored per row, S.
    public let segmentsPerRow: Int
    public let segmentStart: [Int32]
    public let segmentStride: [Int32]
    public let segmentCount: [Int32]
    public let rowLength: [Int32]
    public let rowOffset: [Int64]

    /// Arrays valid by construction.
    init(unchecked length: Int, _ segmentsPerRow: Int, _ start: [Int32], _ stride: [Int32], _ count: [Int32], _ rowLength: [Int32], _ rowOffset: [Int64]) {
        self.length = length
        self.segmentsPerRow = segmentsPerRow
        segmentStart = start
        segmentStride = stride
        segmentCount = count
        self.rowLength = rowLength
        self.rowOffset = rowOffset
    }

    /// Stored (query, key) pairs: the scores an unfused SDDMM writes.
    public var nnz: Int { Int(rowOffset[length]) }

    /// nnz / L², in [0, 1]; 0 when L is 0.
    public var density: Double { length == 0 ? 0 : Double(nnz) / (Double(length) * Double(length)) }

    /// Bytes of metadata: three Int32 arrays of L S, `rowLength` (Int32) and `rowOffset` (Int64).
    public var metadataBytes: Int { 3 * 4 * length * segmentsPerRow + 4 * length + 8 * (length + 1) }

    /// The used segments of row `i`.
    public func segments(ofRow i: Int) -> [Segment] {
        (0..<segmentsPerRow).compactMap { s in
            let p = i * segmentsPerRow + s
            return segmentCount[p] == 0 ? nil : Segment(start: Int(segmentStart[p]), stride: Int(segmentStride[p]), count: Int(segmentCount[p]))
        }
    }

    /// Row `i`'s keys in increasing order (the order of its sparse positions).
    public func keys(ofRow i: Int) -> [Int] {
        segments(ofRow: i).flatMap { segment in (0..<segment.count).map { segment.start + segment.stride * $0 } }
    }
}
