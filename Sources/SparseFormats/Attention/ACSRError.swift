/// A defect in ACSR arrays (or a pattern that does not fit ACSR), naming the row and segment.
public enum ACSRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The sequence length is negative or beyond Int32 indexing.
    case invalidLength(Int)
    /// `segmentsPerRow` must be at least 1 (and fit Int32).
    case invalidSegmentsPerRow(Int)
    /// An array has the wrong number of entries.
    case arrayLength(name: String, expected: Int, actual: Int)
    /// A segment's count is negative.
    case negativeCount(row: Int, segment: Int, count: Int)
    /// A used segment's stride is below 1.
    case nonPositiveStride(row: Int, segment: Int, stride: Int)
    /// A used segment starts outside `0..<length`.
    case startOutOfRange(row: Int, segment: Int, start: Int, length: Int)
    /// A used segment's last key, start + stride (count - 1), is not below `length`.
    case lastKeyOutOfRange(row: Int, segment: Int, last: Int, length: Int)
    /// A used segment does not start after the previous segment's last key (segments of a row are
    /// sorted and their ranges disjoint).
    case overlap(row: Int, segment: Int, start: Int, previousLast: Int)
    /// A used segment follows an unused one (unused segments come last).
    case usedAfterUnused(row: Int, segment: Int)
    /// An unused segment (count 0) has a nonzero start or stride.
    case unusedSegmentNotZero(row: Int, segment: Int)
    /// `rowLength[row]` is not the sum of the row's counts.
    case rowLengthMismatch(row: Int, stored: Int, counted: Int)
    /// `rowOffset[0]` must be 0.
    case rowOffsetStart(Int)
    /// `rowOffset[index]` is not `rowOffset[index - 1] + rowLength[index - 1]`.
    case rowOffsetMismatch(index: Int, stored: Int64, expected: Int64)
    /// A pattern needs more segments in a row than the limit allows.
    case tooManySegments(row: Int, needed: Int, limit: Int)
    /// The pattern's parameters are invalid.
    case pattern(AttentionPatternError)

    public var description: String {
        switch self {
        case let .invalidLength(value): "ACSR length \(value) is negative or exceeds \(Int32.max)"
        case let .invalidSegmentsPerRow(value): "ACSR segmentsPerRow is \(value), must be in 1...\(Int32.max)"
        case let .arrayLength(name, expected, actual): "ACSR \(name) has \(actual) entries, expected \(expected)"
        case let .negativeCount(row, segment, count): "ACSR row \(row) segment \(segment): count \(count) is negative"
        case let .nonPositiveStride(row, segment, stride): "ACSR row \(row) segment \(segment): stride \(stride) is below 1"
        case let .startOutOfRange(row, segment, start, length):
            "ACSR row \(row) segment \(segment): start \(start) is out of range 0..<\(length)"
        case let .lastKeyOutOfRange(row, segment, last, length):
            "ACSR row \(row) segment \(segment): last key \(last) is out of range 0..<\(length)"
        case let .overlap(row, segment, start, previousLast):
            "ACSR row \(row) segment \(segment): starts at \(start), not after the previous segment's last key \(previousLast)"
        case let .usedAfterUnused(row, segment): "ACSR row \(row) segment \(segment) is used after an unused segment"
        case let .unusedSegmentNotZero(row, segment): "ACSR row \(row) segment \(segment) is unused (count 0) but its start or stride is not 0"
        case let .rowLengthMismatch(row, stored, counted): "ACSR rowLength[\(row)] is \(stored), its segments hold \(counted) keys"
        case let .rowOffsetStart(value): "ACSR rowOffset[0] is \(value), must be 0"
        case let .rowOffsetMismatch(index, stored, expected): "ACSR rowOffset[\(index)] is \(stored), expected \(expected)"
        case let .tooManySegments(row, needed, limit):
            "attention pattern needs \(needed) segments in row \(row), more than the limit \(limit)"
        case let .pattern(error): error.description
        }
    }
}
