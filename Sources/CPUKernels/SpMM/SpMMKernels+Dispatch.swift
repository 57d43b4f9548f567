// Picks the specialised microkernel for a tile and a block shape.

extension KernelOperands {
    /// Runs tile `spec` over block rows `rows`.
    func run(_ spec: TileSpec, rows: Range<Int>) {
        switch (spec.width, spec.count) {
        case (16, 4): shape(SIMD16<Float>.self, Static4.self, rows, spec.offsets)
        case (16, 3): shape(SIMD16<Float>.self, Static3.self, rows, spec.offsets)
        case (16, 2): shape(SIMD16<Float>.self, Static2.self, rows, spec.offsets)
        case (16, 1): shape(SIMD16<Float>.self, Static1.self, rows, spec.offsets)
        case (8, 2): shape(SIMD8<Float>.self, Static2.self, rows, spec.offsets)
        case (8, 1): shape(SIMD8<Float>.self, Static1.self, rows, spec.offsets)
        case (4, 2): shape(SIMD4<Float>.self, Static2.self, rows, spec.offsets)
        case (4, 1): shape(SIMD4<Float>.self, Static1.self, rows, spec.offsets)
        case (1, _):
            for j in spec.offsets.o0..<(spec.offsets.o0 + spec.count) {
                if blockColumns == 1 { rowsScalar(Static1.self, column: j, rows: rows) } else {
                    rowsScalar(Dynamic.self, column: j, rows: rows)
                }
            }
        default:
            preconditionFailure("TileSchedule produced an unknown tile \(spec.width) x \(spec.count)")
        }
    }

    func shape<S: SIMD, Count: StaticInt>(_: S.Type, _: Count.Type, _ rows: Range<Int>, _ o: TileOffsets)
    where S.Scalar == Float {
        // Independent accumulator sets keep several FMA chains in flight: an FMA has a latency
        // of ~4 cycles, and one chain per vector would leave the FMA units idle on short tiles.
        if blockRows == 1 {
            // Accumulator sets by register file: AVX-512 has 32 registers (a SIMD16 in one),
            // AVX2 16 (a SIMD16 in two), SSE2 16 (a SIMD16 in four), and spilling an
            // accumulator costs more than the latency it hides.
            #if SPARROW_AVX512
            if Count.value == 1 { oneHigh(S.self, Count.self, Static4.self, rows, o) } else {
                oneHigh(S.self, Count.self, Static2.self, rows, o)
            }
            #elseif SPARROW_FMA || arch(arm64)
            if Count.value == 1 { oneHigh(S.self, Count.self, Static4.self, rows, o) } else if Count.value! <= 2 {
                oneHigh(S.self, Count.self, Static2.self, rows, o)
            } else {
                oneHigh(S.self, Count.self, Static1.self, rows, o)
            }
            #else
            if Count.value == 1 && MemoryLayout<S>.size <= 32 {
                oneHigh(S.self, Count.self, Static4.self, rows, o)
            } else if Count.value == 1 {
                oneHigh(S.self, Count.self, Static2.self, rows, o)
            } else {
                oneHigh(S.self, Count.self, Static1.self, rows, o)
            }
            #endif
        } else if blockRows % 4 == 0 {
            for subRow in stride(from: 0, to: blockRows, by: 4) {
                switch blockColumns {
                case 1: rowsFourHigh(S.self, Count.self, Static1.self, subRow: subRow, rows: rows, o)
                case 4: rowsFourHigh(S.self, Count.self, Static4.self, subRow: subRow, rows: rows, o)
                default: rowsFourHigh(S.self, Count.self, Dynamic.self, subRow: subRow, rows: rows, o)
                }
            }
        } else {
            for subRow in 0..<blockRows {
                rowsOneHigh(S.self, Count.self, Static1.self, Dynamic.self, subRow: subRow, rows: rows, o)
            }
        }
    }

    /// One-row-high blocks with `Sets` accumulator sets, by block width.
    func oneHigh<S: SIMD, Count: StaticInt, Sets: StaticInt>(
        _: S.Type, _: Count.Type, _: Sets.Type, _ rows: Range<Int>, _ o: TileOffsets
    ) where S.Scalar == Float {
        switch blockColumns {
        case 1: rowsOneHigh(S.self, Count.self, Sets.self, Static1.self, subRow: 0, rows: rows, o)
        case 4: rowsOneHigh(S.self, Count.self, Sets.self, Static4.self, subRow: 0, rows: rows, o)
        case 8: rowsOneHigh(S.self, Count.self, Sets.self, Static8.self, subRow: 0, rows: rows, o)
        default: rowsOneHigh(S.self, Count.self, Static1.self, Dynamic.self, subRow: 0, rows: rows, o)
        }
    }
}
