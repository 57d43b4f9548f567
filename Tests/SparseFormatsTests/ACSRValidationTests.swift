import Testing
@testable import SparseFormats

/// Each malformed ACSR gives its named error.
@Suite struct ACSRValidationTests {
    /// A valid 4-token layout with 2 segments per row, as raw arrays to break one at a time:
    /// row 0: {0, 1}; row 1: {0} and {2, 3}; row 2: empty; row 3: {1, 3}.
    struct Raw {
        var length = 4, segmentsPerRow = 2
        var start: [Int32] = [0, 0, 0, 2, 0, 0, 1, 0]
        var stride: [Int32] = [1, 0, 1, 1, 0, 0, 2, 0]
        var count: [Int32] = [2, 0, 1, 2, 0, 0, 2, 0]
        var rowLength: [Int32] = [2, 3, 0, 2]
        var rowOffset: [Int64] = [0, 2, 5, 5, 7]

        func build() throws(ACSRError) -> ACSR {
            try ACSR(
                validating: length, segmentsPerRow: segmentsPerRow, segmentStart: start, segmentStride: stride, segmentCount: count,
                rowLength: rowLength, rowOffset: rowOffset)
        }
    }

    @Test func theValidLayoutIsAccepted() throws {
        let acsr = try Raw().build()
        #expect(acsr.keys(ofRow: 0) == [0, 1] && acsr.keys(ofRow: 1) == [0, 2, 3] && acsr.keys(ofRow: 2) == [] && acsr.keys(ofRow: 3) == [1, 3])
        #expect(acsr.nnz == 7)
        let empty = try ACSR(
            validating: 0, segmentsPerRow: 1, segmentStart: [], segmentStride: [], segmentCount: [], rowLength: [], rowOffset: [0])
        #expect(empty.nnz == 0)
    }

    @Test func eachDefectIsNamed() {
        var cases: [(Raw, ACSRError)] = []
        func add(_ error: ACSRError, _ change: (inout Raw) -> Void) {
            var raw = Raw()
            change(&raw)
            cases.append((raw, error))
        }
        add(.invalidLength(-1)) { $0.length = -1 }
        add(.invalidSegmentsPerRow(0)) { $0.segmentsPerRow = 0 }
        add(.invalidSegmentsPerRow(Int.max)) { $0.segmentsPerRow = Int.max }
        add(.arrayLength(name: "segmentStart", expected: 8, actual: 7)) { $0.start.removeLast() }
        add(.arrayLength(name: "segmentStride", expected: 8, actual: 9)) { $0.stride.append(0) }
        add(.arrayLength(name: "segmentCount", expected: 8, actual: 0)) { $0.count = [] }
        add(.arrayLength(name: "rowLength", expected: 4, actual: 3)) { $0.rowLength.removeLast() }
        add(.arrayLength(name: "rowOffset", expected: 5, actual: 4)) { $0.rowOffset.removeLast() }
        add(.rowOffsetStart(3)) { $0.rowOffset[0] = 3 }
        add(.negativeCount(row: 1, segment: 1, count: -2)) { $0.count[3] = -2 }
        add(.nonPositiveStride(row: 3, segment: 0, stride: 0)) { $0.stride[6] = 0 }
        add(.nonPositiveStride(row: 0, segment: 0, stride: -1)) { $0.stride[0] = -1 }
        add(.startOutOfRange(row: 1, segment: 1, start: 4, length: 4)) { $0.start[3] = 4 }
        add(.startOutOfRange(row: 0, segment: 0, start: -1, length: 4)) { $0.start[0] = -1 }
        add(.lastKeyOutOfRange(row: 3, segment: 0, last: 5, length: 4)) { $0.count[6] = 3 }
        add(.lastKeyOutOfRange(row: 1, segment: 1, last: 4, length: 4)) { $0.start[3] = 3; $0.stride[3] = 1 }
        add(.overlap(row: 1, segment: 1, start: 0, previousLast: 0)) { $0.start[3] = 0 }
        add(.overlap(row: 1, segment: 1, start: 0, previousLast: 3)) {
            // Out of order: {2, 3} before {0}.
            $0.start[2] = 2; $0.count[2] = 2; $0.start[3] = 0; $0.count[3] = 1
        }
        add(.usedAfterUnused(row: 0, segment: 1)) { $0.count[1] = 2; $0.start[1] = 2; $0.stride[1] = 1; $0.count[0] = 0; $0.start[0] = 0; $0.stride[0] = 0 }
        add(.unusedSegmentNotZero(row: 2, segment: 0)) { $0.start[4] = 1 }
        add(.unusedSegmentNotZero(row: 0, segment: 1)) { $0.stride[1] = 1 }
        add(.rowLengthMismatch(row: 2, stored: 1, counted: 0)) { $0.rowLength[2] = 1 }
        add(.rowOffsetMismatch(index: 2, stored: 6, expected: 5)) { $0.rowOffset[2] = 6 }
        add(.rowOffsetMismatch(index: 4, stored: 8, expected: 7)) { $0.rowOffset[4] = 8 }
        for (raw, error) in cases {
            #expect(throws: error, "\(error)") { try raw.build() }
            #expect(!error.description.isEmpty)
        }
    }
}
