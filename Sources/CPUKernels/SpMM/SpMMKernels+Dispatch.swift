// Picks the specialised microkernel for a tile and a block shape. Every literal below
// (vector count, accumulator sets, block width) reaches an `@inline(__always)` kernel,
// so each case compiles to its own straight-line loop.

extension KernelOperands {
    /// Runs tile `spec` over block rows `rows`.
    func run(_ spec: TileSpec, rows: Range<Int>) {
        switch (spec.width, spec.count) {
        case (16, 4): shape(SIMD16<Float>.self, count: 4, rows, spec.offsets)
        case (16, 3): shape(SIMD16<Float>.self, count: 3, rows, spec.offsets)
        case (16, 2): shape(SIMD16<Float>.self, count: 2, rows, spec.offsets)
        case (16, 1): shape(SIMD16<Float>.self, count: 1, rows, spec.offsets)
        case (8, 2): shape(SIMD8<Float>.self, count: 2, rows, spec.offsets)
        case (8, 1): shape(SIMD8<Float>.self, count: 1, rows, spec.offsets)
        case (4, 2): shape(SIMD4<Float>.self, count: 2, rows, spec.offsets)
        case (4, 1): shape(SIMD4<Float>.self, count: 1, rows, spec.offsets)
        case (1, _):
            for j in spec.offsets.o0..<(spec.offsets.o0 + spec.count) { scalar(column: j, rows: rows) }
        default:
            preconditionFailure("TileSchedule produced an unknown tile \(spec.width) x \(spec.count)")
        }
    }

    @inline(__always)
    func shape<S: SIMD>(_: S.Type, count: Int, _ rows: Range<Int>, _ o: TileOffsets) where S.Scalar == Float {
        // Short tiles get independent accumulator sets: an FMA has a latency of ~4 cycles and
        // one chain per vector would leave the FMA units idle.
        let sets = count == 1 ? 4 : (count == 2 ? 2 : 1)
        if blockRows == 1 {
            switch blockColumns {
            case 1: rowsOneHigh(S.self, count: count, sets: sets, c: 1, subRow: 0, rows: rows, o)
            case 4: rowsOneHigh(S.self, count: count, sets: sets, c: 4, subRow: 0, rows: rows, o)
            case 8: rowsOneHigh(S.self, count: count, sets: sets, c: 8, subRow: 0, rows: rows, o)
            default: rowsOneHigh(S.self, count: count, sets: 1, c: blockColumns, subRow: 0, rows: rows, o)
            }
        } else if blockRows % 4 == 0 {
            for subRow in stride(from: 0, to: blockRows, by: 4) {
                switch blockColumns {
                case 1: rowsFourHigh(S.self, count: count, c: 1, subRow: subRow, rows: rows, o)
                case 4: rowsFourHigh(S.self, count: count, c: 4, subRow: subRow, rows: rows, o)
                default: rowsFourHigh(S.self, count: count, c: blockColumns, subRow: subRow, rows: rows, o)
                }
            }
        } else {
            for subRow in 0..<blockRows {
                rowsOneHigh(S.self, count: count, sets: 1, c: blockColumns, subRow: subRow, rows: rows, o)
            }
        }
    }

    func scalar(column j: Int, rows: Range<Int>) {
        if blockColumns == 1 { rowsScalar(c: 1, column: j, rows: rows) } else {
            rowsScalar(c: blockColumns, column: j, rows: rows)
        }
    }
}
