// The SpMM microkernels: one tile of the dense dimension over a range of block rows.
//
// Storage is the plan's repacked block layout: `offsets` over block rows, `columns` over
// blocks, `values` with `R * C` floats per block, row-major inside the block. CSR is the
// 1 x 1 case. Vector count, accumulator sets and block width are generic parameters
// (StaticConstants.swift), so each combination is its own specialised loop.
//
// Bounds: the plan validated every block column against K / C, so X row
// `column * C + c < K`; callers pass tile offsets with `offset + S.scalarCount <= M`
// (TileSpec), and X holds `K * ldx` floats with `ldx == M`; output rows are below N.
// Hence every address formed below lies inside the caller's buffers, and wrapping
// arithmetic (`&*`, `&+`) cannot wrap.

/// Raw operands of one run, valid for the duration of the call.
struct KernelOperands {
    let offsets: UnsafePointer<Int32>
    let columns: UnsafePointer<Int32>
    let values: UnsafePointer<Float>
    let blockRows: Int
    let blockColumns: Int
    let x: UnsafePointer<Float>
    let ldx: Int
    let out: OutputLayout
}

extension KernelOperands {
    /// Block rows `rows` of a layout whose blocks are one row high (or one sub-row `subRow` of
    /// taller blocks): `count` vectors at offsets `o`, `sets` independent accumulator sets so
    /// that short tiles still keep several FMA chains in flight.
    @inline(never)
    func rowsOneHigh<S: SIMD, Count: StaticInt, Sets: StaticInt, Width: StaticInt>(
        _: S.Type, _: Count.Type, _: Sets.Type, _: Width.Type, subRow: Int, rows: Range<Int>, _ o: TileOffsets
    ) where S.Scalar == Float {
        let count = Count.value!, sets = Sets.value!, c = Width.value ?? blockColumns
        let valueStride = blockRows &* c
        let valueOffset = subRow &* c
        for blockRow in rows {
            let lo = Int(offsets[blockRow]), hi = Int(offsets[blockRow &+ 1])
            var a = Accumulators<S>(), b = Accumulators<S>(), d = Accumulators<S>(), e = Accumulators<S>()
            if c == 1 {
                // One X row per stored value: unroll over the values themselves.
                var p = lo
                if sets >= 4 {
                    while p &+ 4 <= hi {
                        a.add(count, values[p &* valueStride &+ valueOffset], x + Int(columns[p]) &* ldx, o)
                        b.add(count, values[(p &+ 1) &* valueStride &+ valueOffset], x + Int(columns[p &+ 1]) &* ldx, o)
                        d.add(count, values[(p &+ 2) &* valueStride &+ valueOffset], x + Int(columns[p &+ 2]) &* ldx, o)
                        e.add(count, values[(p &+ 3) &* valueStride &+ valueOffset], x + Int(columns[p &+ 3]) &* ldx, o)
                        p &+= 4
                    }
                } else if sets == 2 {
                    while p &+ 2 <= hi {
                        a.add(count, values[p &* valueStride &+ valueOffset], x + Int(columns[p]) &* ldx, o)
                        b.add(count, values[(p &+ 1) &* valueStride &+ valueOffset], x + Int(columns[p &+ 1]) &* ldx, o)
                        p &+= 2
                    }
                }
                while p < hi {
                    a.add(count, values[p &* valueStride &+ valueOffset], x + Int(columns[p]) &* ldx, o)
                    p &+= 1
                }
            } else {
                for block in lo..<hi {
                    let xb = x + Int(columns[block]) &* c &* ldx
                    let vb = values + (block &* valueStride &+ valueOffset)
                    var k = 0
                    if sets >= 4 {
                        while k &+ 4 <= c {
                            a.add(count, vb[k], xb + k &* ldx, o)
                            b.add(count, vb[k &+ 1], xb + (k &+ 1) &* ldx, o)
                            d.add(count, vb[k &+ 2], xb + (k &+ 2) &* ldx, o)
                            e.add(count, vb[k &+ 3], xb + (k &+ 3) &* ldx, o)
                            k &+= 4
                        }
                    } else if sets == 2 {
                        while k &+ 2 <= c {
                            a.add(count, vb[k], xb + k &* ldx, o)
                            b.add(count, vb[k &+ 1], xb + (k &+ 1) &* ldx, o)
                            k &+= 2
                        }
                    }
                    while k < c {
                        a.add(count, vb[k], xb + k &* ldx, o)
                        k &+= 1
                    }
                }
            }
            if sets >= 2 { a.merge(count, b) }
            if sets >= 4 {
                d.merge(count, e)
                a.merge(count, d)
            }
            out.store(count, a, row: blockRow &* blockRows &+ subRow, o)
        }
    }

    /// Block rows `rows`, four sub-rows (`subRow ..< subRow + 4`) at once: each loaded X
    /// vector feeds four FMAs, which is what makes 4 x C blocks cheaper than CSR.
    @inline(never)
    func rowsFourHigh<S: SIMD, Count: StaticInt, Width: StaticInt>(
        _: S.Type, _: Count.Type, _: Width.Type, subRow: Int, rows: Range<Int>, _ o: TileOffsets
    ) where S.Scalar == Float {
        let count = Count.value!, c = Width.value ?? blockColumns
        let valueStride = blockRows &* c
        for blockRow in rows {
            let lo = Int(offsets[blockRow]), hi = Int(offsets[blockRow &+ 1])
            var r0 = Accumulators<S>(), r1 = Accumulators<S>(), r2 = Accumulators<S>(), r3 = Accumulators<S>()
            for block in lo..<hi {
                let xb = x + Int(columns[block]) &* c &* ldx
                let vb = values + (block &* valueStride &+ subRow &* c)
                for k in 0..<c {
                    let xr = xb + k &* ldx
                    let x0 = loadVector(S.self, xr + o.o0)
                    let x1 = count > 1 ? loadVector(S.self, xr + o.o1) : S()
                    let x2 = count > 2 ? loadVector(S.self, xr + o.o2) : S()
                    let x3 = count > 3 ? loadVector(S.self, xr + o.o3) : S()
                    r0.add(count, vb[k], x0, x1, x2, x3)
                    r1.add(count, vb[c &+ k], x0, x1, x2, x3)
                    r2.add(count, vb[2 &* c &+ k], x0, x1, x2, x3)
                    r3.add(count, vb[3 &* c &+ k], x0, x1, x2, x3)
                }
            }
            let row = blockRow &* blockRows &+ subRow
            out.store(count, r0, row: row, o)
            out.store(count, r1, row: row &+ 1, o)
            out.store(count, r2, row: row &+ 2, o)
            out.store(count, r3, row: row &+ 3, o)
        }
    }

    /// One column `j` of the dense dimension, scalar: the sparse matrix-vector product
    /// (M = 1) and the last columns when M < 4. Four partial sums hide the add latency.
    @inline(never)
    func rowsScalar<Width: StaticInt>(_: Width.Type, column j: Int, rows: Range<Int>) {
        let c = Width.value ?? blockColumns
        let valueStride = blockRows &* c
        for blockRow in rows {
            let lo = Int(offsets[blockRow]), hi = Int(offsets[blockRow &+ 1])
            for subRow in 0..<blockRows {
                let valueOffset = subRow &* c
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                if c == 1 && blockRows == 1 {
                    var p = lo
                    while p &+ 4 <= hi {
                        s0 += values[p] * x[Int(columns[p]) &* ldx &+ j]
                        s1 += values[p &+ 1] * x[Int(columns[p &+ 1]) &* ldx &+ j]
                        s2 += values[p &+ 2] * x[Int(columns[p &+ 2]) &* ldx &+ j]
                        s3 += values[p &+ 3] * x[Int(columns[p &+ 3]) &* ldx &+ j]
                        p &+= 4
                    }
                    while p < hi {
                        s0 += values[p] * x[Int(columns[p]) &* ldx &+ j]
                        p &+= 1
                    }
                } else {
                    for block in lo..<hi {
                        let xb = x + (Int(columns[block]) &* c &* ldx &+ j)
                        let vb = values + (block &* valueStride &+ valueOffset)
                        var k = 0
                        while k &+ 4 <= c {
                            s0 += vb[k] * xb[k &* ldx]
                            s1 += vb[k &+ 1] * xb[(k &+ 1) &* ldx]
                            s2 += vb[k &+ 2] * xb[(k &+ 2) &* ldx]
                            s3 += vb[k &+ 3] * xb[(k &+ 3) &* ldx]
                            k &+= 4
                        }
                        while k < c {
                            s0 += vb[k] * xb[k &* ldx]
                            k &+= 1
                        }
                    }
                }
                out.storeScalar((s0 + s1) + (s2 + s3), row: blockRow &* blockRows &+ subRow, column: j)
            }
        }
    }
}
