// The dense GEMM used when no BLAS library loads: 4 rows of A by up to 4 SIMD16 vectors of
// B's columns in registers over the whole of K. Far from OpenBLAS (no packing, no K
// blocking), but vectorised, threaded and exact enough to stand in.
//
// Bounds: every tile lies inside 0..<m rows and 0..<n columns (tiles never overlap, so a
// non-zero beta reads each old C value exactly once); A rows are read at k < K with lda >= K,
// B rows at k < K with ldb >= n.

struct SwiftGEMM {
    let m: Int, n: Int, k: Int
    let alpha: Float
    let a: UnsafePointer<Float>, lda: Int
    let b: UnsafePointer<Float>, ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>, ldc: Int

    /// Columns of C cut into non-overlapping tiles: (first column, width, vector width).
    func columnTiles(_ body: (Int, Int, Int) -> Void) {
        var j = 0
        while j + 64 <= n { body(j, 4, 16); j += 64 }
        if n - j >= 16 { let v = (n - j) / 16; body(j, v, 16); j += v * 16 }
        if n - j >= 4 { let v = (n - j) / 4; body(j, v, 4); j += v * 4 }
        if j < n { body(j, n - j, 1) }
    }

    func run(pool: CPUWorkerPool) {
        let rowChunk = 64
        let rowChunks = (m + rowChunk - 1) / rowChunk
        var tileCount = 0
        columnTiles { _, _, _ in tileCount += 1 }
        let items = rowChunks * tileCount
        let body = { (item: Int) in
            let chunk = item % rowChunks, tileIndex = item / rowChunks
            var t = 0
            columnTiles { j, count, width in
                defer { t += 1 }
                guard t == tileIndex else { return }
                let r1 = min(m, (chunk + 1) * rowChunk)
                var i = chunk * rowChunk
                while i < r1 {
                    let h = min(4, r1 - i)
                    tile(row: i, height: h, column: j, count: count, width: width)
                    i += h
                }
            }
        }
        if m * n * k >= (1 << 18) { pool.run(items: items, body) } else { for i in 0..<items { body(i) } }
    }

    func tile(row: Int, height: Int, column: Int, count: Int, width: Int) {
        switch (width, count) {
        case (16, 4): rows(SIMD16<Float>.self, Static4.self, row, height, column)
        case (16, 3): rows(SIMD16<Float>.self, Static3.self, row, height, column)
        case (16, 2): rows(SIMD16<Float>.self, Static2.self, row, height, column)
        case (16, 1): rows(SIMD16<Float>.self, Static1.self, row, height, column)
        case (4, 3): rows(SIMD4<Float>.self, Static3.self, row, height, column)
        case (4, 2): rows(SIMD4<Float>.self, Static2.self, row, height, column)
        case (4, 1): rows(SIMD4<Float>.self, Static1.self, row, height, column)
        default:
            for r in row..<(row + height) {
                for j in column..<(column + count) {
                    var s: Float = 0
                    for p in 0..<k { s += a[r &* lda &+ p] * b[p &* ldb &+ j] }
                    store(s, r, j)
                }
            }
        }
    }

    func rows<S: SIMD, Count: StaticInt>(_: S.Type, _: Count.Type, _ row: Int, _ height: Int, _ column: Int)
    where S.Scalar == Float {
        switch height {
        case 4: vectors(S.self, Count.self, Static4.self, row, column)
        case 3: vectors(S.self, Count.self, Static3.self, row, column)
        case 2: vectors(S.self, Count.self, Static2.self, row, column)
        default: vectors(S.self, Count.self, Static1.self, row, column)
        }
    }

    @inline(never)
    func vectors<S: SIMD, Count: StaticInt, Height: StaticInt>(
        _: S.Type, _: Count.Type, _: Height.Type, _ row: Int, _ column: Int
    ) where S.Scalar == Float {
        let count = Count.value!, height = Height.value!
        let o = TileOffsets(o0: column, o1: column + S.scalarCount, o2: column + 2 * S.scalarCount, o3: column + 3 * S.scalarCount)
        var r0 = Accumulators<S>(), r1 = Accumulators<S>(), r2 = Accumulators<S>(), r3 = Accumulators<S>()
        let a0 = a + row &* lda
        for p in 0..<k {
            let br = b + p &* ldb
            let x0 = loadVector(S.self, br + o.o0)
            let x1 = count > 1 ? loadVector(S.self, br + o.o1) : S()
            let x2 = count > 2 ? loadVector(S.self, br + o.o2) : S()
            let x3 = count > 3 ? loadVector(S.self, br + o.o3) : S()
            r0.add(count, a0[p], x0, x1, x2, x3)
            // Rows past `height` would read past A: skipped (a constant in each specialisation).
            if height > 1 { r1.add(count, a0[lda &+ p], x0, x1, x2, x3) }
            if height > 2 { r2.add(count, a0[2 &* lda &+ p], x0, x1, x2, x3) }
            if height > 3 { r3.add(count, a0[3 &* lda &+ p], x0, x1, x2, x3) }
        }
        store(count, r0, row, o)
        if height > 1 { store(count, r1, row + 1, o) }
        if height > 2 { store(count, r2, row + 2, o) }
        if height > 3 { store(count, r3, row + 3, o) }
    }

    @inline(__always)
    func store<S: SIMD>(_ count: Int, _ acc: Accumulators<S>, _ row: Int, _ o: TileOffsets) where S.Scalar == Float {
        store(acc.a0, row, o.o0)
        if count > 1 { store(acc.a1, row, o.o1) }
        if count > 2 { store(acc.a2, row, o.o2) }
        if count > 3 { store(acc.a3, row, o.o3) }
    }

    @inline(__always)
    func store<S: SIMD>(_ v: S, _ row: Int, _ column: Int) where S.Scalar == Float {
        let p = UnsafeMutableRawPointer(c + (row &* ldc &+ column))
        var r = v * S(repeating: alpha)
        // beta == 0 must not read C (it may hold NaN), as BLAS specifies.
        if beta != 0 { r = r + S(repeating: beta) * p.loadUnaligned(as: S.self) }
        p.storeBytes(of: r, as: S.self)
    }

    @inline(__always)
    func store(_ v: Float, _ row: Int, _ column: Int) {
        let p = c + (row &* ldc &+ column)
        p.pointee = alpha * v + (beta != 0 ? beta * p.pointee : 0)
    }
}
