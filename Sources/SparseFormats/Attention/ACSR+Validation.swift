extension ACSR {
    /// Checks raw ACSR arrays (the layout at ``ACSR``) and keeps them.
    public init(
        validating length: Int, segmentsPerRow: Int, segmentStart: [Int32], segmentStride: [Int32], segmentCount: [Int32],
        rowLength: [Int32], rowOffset: [Int64]
    ) throws(ACSRError) {
        guard length >= 0, length <= Int(Int32.max) else { throw .invalidLength(length) }
        guard segmentsPerRow >= 1, segmentsPerRow <= Int(Int32.max) else { throw .invalidSegmentsPerRow(segmentsPerRow) }
        // Both below 2^31: the product fits Int.
        let slots = length * segmentsPerRow
        for (name, count) in [("segmentStart", segmentStart.count), ("segmentStride", segmentStride.count), ("segmentCount", segmentCount.count)]
        where count != slots {
            throw .arrayLength(name: name, expected: slots, actual: count)
        }
        guard rowLength.count == length else { throw .arrayLength(name: "rowLength", expected: length, actual: rowLength.count) }
        guard rowOffset.count == length + 1 else { throw .arrayLength(name: "rowOffset", expected: length + 1, actual: rowOffset.count) }
        guard rowOffset[0] == 0 else { throw .rowOffsetStart(Int(rowOffset[0])) }
        for row in 0..<length {
            var counted = 0, previousLast = -1, unused = false
            for segment in 0..<segmentsPerRow {
                let p = row * segmentsPerRow + segment
                let start = Int(segmentStart[p]), stride = Int(segmentStride[p]), count = Int(segmentCount[p])
                guard count >= 0 else { throw .negativeCount(row: row, segment: segment, count: count) }
                if count == 0 {
                    guard start == 0, stride == 0 else { throw .unusedSegmentNotZero(row: row, segment: segment) }
                    unused = true
                    continue
                }
                guard !unused else { throw .usedAfterUnused(row: row, segment: segment) }
                guard stride >= 1 else { throw .nonPositiveStride(row: row, segment: segment, stride: stride) }
                guard start >= 0, start < length else { throw .startOutOfRange(row: row, segment: segment, start: start, length: length) }
                // start < 2^31, stride < 2^31, count < 2^31: the product fits Int (64 bits).
                let last = start + stride * (count - 1)
                guard last < length else { throw .lastKeyOutOfRange(row: row, segment: segment, last: last, length: length) }
                guard start > previousLast else { throw .overlap(row: row, segment: segment, start: start, previousLast: previousLast) }
                previousLast = last
                counted += count
            }
            guard Int(rowLength[row]) == counted else { throw .rowLengthMismatch(row: row, stored: Int(rowLength[row]), counted: counted) }
            let expected = rowOffset[row] + Int64(counted)
            guard rowOffset[row + 1] == expected else { throw .rowOffsetMismatch(index: row + 1, stored: rowOffset[row + 1], expected: expected) }
        }
        self.init(unchecked: length, segmentsPerRow, segmentStart, segmentStride, segmentCount, rowLength, rowOffset)
    }
}
