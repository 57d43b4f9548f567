extension ACSR {
    /// The most segments per row ``init(_:length:maxSegmentsPerRow:)`` builds unless told otherwise.
    public static let defaultMaxSegmentsPerRow = 8

    /// Builds `pattern` (see ``AttentionPattern`` for each rule) over `length` tokens.
    ///
    /// Each plain pattern gives every row at most two segments, written directly. A union's
    /// members are written directly too when their rows' ranges do not overlap; otherwise the
    /// row's keys are merged and cut greedily into maximal affine runs. Touching runs that
    /// continue one another are joined, and single-key segments get stride 1, so the result is
    /// the same however the pattern was spelled. Throws ``ACSRError/tooManySegments(row:needed:limit:)``
    /// when a row needs more than `maxSegmentsPerRow` segments.
    public init(_ pattern: AttentionPattern, length: Int, maxSegmentsPerRow: Int = ACSR.defaultMaxSegmentsPerRow) throws(ACSRError) {
        guard length >= 0, length <= Int(Int32.max) else { throw .invalidLength(length) }
        do { try pattern.validate() } catch { throw .pattern(error) }
        var rows: [[Segment]] = []
        rows.reserveCapacity(length)
        var widest = 1
        for i in 0..<length {
            let segments = Self.segments(of: pattern, row: i, length: length)
            guard segments.count <= maxSegmentsPerRow else {
                throw .tooManySegments(row: i, needed: segments.count, limit: maxSegmentsPerRow)
            }
            widest = max(widest, segments.count)
            rows.append(segments)
        }
        let slots = length * widest
        var start = [Int32](repeating: 0, count: slots), stride = start, count = start
        var rowLength = [Int32](repeating: 0, count: length)
        var rowOffset = [Int64](repeating: 0, count: length + 1)
        for (i, segments) in rows.enumerated() {
            var keys = 0
            for (s, segment) in segments.enumerated() {
                // Keys are in 0..<length <= Int32.max, and so are counts and strides.
                start[i * widest + s] = Int32(segment.start)
                stride[i * widest + s] = Int32(segment.stride)
                count[i * widest + s] = Int32(segment.count)
                keys += segment.count
            }
            rowLength[i] = Int32(keys)
            rowOffset[i + 1] = rowOffset[i] + Int64(keys)
        }
        self.init(unchecked: length, widest, start, stride, count, rowLength, rowOffset)
    }

    /// Row `i`'s segments under `pattern`, sorted, disjoint and joined where they continue.
    static func segments(of pattern: AttentionPattern, row i: Int, length: Int) -> [Segment] {
        switch pattern {
        case .union(let members):
            let parts = members.map { segments(of: $0, row: i, length: length) }.flatMap { $0 }.sorted { $0.start < $1.start }
            let disjoint = zip(parts, parts.dropFirst()).allSatisfy { $0.last < $1.start }
            return disjoint ? joined(parts) : affineRuns(mergedKeys(parts))
        default:
            return joined(plainSegments(of: pattern, row: i, length: length))
        }
    }

    /// A plain (non-union) pattern's segments of row `i`, sorted and disjoint (at most two).
    static func plainSegments(of pattern: AttentionPattern, row i: Int, length: Int) -> [Segment] {
        func run(_ first: Int, _ last: Int, stride: Int = 1) -> [Segment] {
            last < first ? [] : [Segment(start: first, stride: stride, count: (last - first) / stride + 1)]
        }
        switch pattern {
        case .window(let w):
            return run(max(0, i - w / 2), min(length - 1, i + w / 2))
        case .causalWindow(let w):
            return run(max(0, i - w + 1), w > 0 ? i : i - 1)
        case .dilated(let w, let d):
            // t from -h to h with 0 <= i + d t < length.
            let h = w / 2
            let low = max(-h, -(i / d)), high = min(h, (length - 1 - i) / d)
            return run(i + d * low, i + d * high, stride: d)
        case .globalWindow(let g, let w):
            if i < g { return run(0, length - 1) }
            let global = run(0, min(g, length) - 1)
            let window = run(max(g, i - w / 2), min(length - 1, i + w / 2))
            return global + window
        case .blocked(let b):
            return run(i / b * b, min(length - 1, i / b * b + b - 1))
        case .union:
            return segments(of: pattern, row: i, length: length)
        }
    }

    /// The sorted, duplicate-free keys of overlapping segments.
    static func mergedKeys(_ parts: [Segment]) -> [Int] {
        var keys: [Int] = []
        keys.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { for t in 0..<part.count { keys.append(part.start + part.stride * t) } }
        keys.sort()
        var unique = 0
        for key in keys where unique == 0 || keys[unique - 1] != key {
            keys[unique] = key
            unique += 1
        }
        keys.removeLast(keys.count - unique)
        return keys
    }

    /// Sorted distinct keys cut greedily into maximal affine runs (each run takes the stride of
    /// its first two keys and extends while the gap stays the same).
    static func affineRuns(_ keys: [Int]) -> [Segment] {
        var runs: [Segment] = []
        var index = 0
        while index < keys.count {
            var run = Segment(start: keys[index], stride: 1, count: 1)
            if index + 1 < keys.count {
                run.stride = keys[index + 1] - keys[index]
                run.count = 2
                while index + run.count < keys.count, keys[index + run.count] - keys[index + run.count - 1] == run.stride { run.count += 1 }
            }
            runs.append(run)
            index += run.count
        }
        return joined(runs)
    }

    /// Joins sorted, disjoint segments where the next continues the previous one's progression,
    /// then gives single-key segments stride 1.
    static func joined(_ segments: [Segment]) -> [Segment] {
        var out: [Segment] = []
        for segment in segments where segment.count > 0 {
            if var previous = out.last {
                let stride = previous.count == 1 ? segment.start - previous.start : previous.stride
                if segment.start == previous.last + stride, segment.count == 1 || segment.stride == stride {
                    previous.stride = stride
                    previous.count += segment.count
                    out[out.count - 1] = previous
                    continue
                }
            }
            out.append(segment)
        }
        return out.map { $0.count == 1 ? Segment(start: $0.start, stride: 1, count: 1) : $0 }
    }
}
