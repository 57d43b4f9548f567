import Testing
import SparseFormats
@testable import CPUKernels

/// Plans that must agree: serial, and threaded on a 3-thread pool with no threshold (so even
/// tiny problems are split, and chunk and span boundaries are exercised); then every kernel path
/// this CPU runs (AVX-512, AVX2, portable) forced, with one-vector tiles, streaming stores,
/// prefetching and the gathering SpMV without column panels, and with eight- and three-vector
/// tiles split over threads, in panels of 8 and 5 columns (several panels on every test shape,
/// blocks wider than a panel included: 8-column blocks in 5-column panels); and CSR plans whose
/// rows are packed in the locality and longest-first orders (BSR plans keep their rows), serial
/// with the gathering SpMV and no panels, and threaded in panels of 5 and 8 columns, so every
/// check also covers the row map undone in the store (Y rows, bias, residual) and in the partial
/// sums the outer-panel pass keeps in Y.
let threadedPool = CPUWorkerPool(threads: 3)
let planOptions: [(String, CPUSpMMOptions)] = {
    var list: [(String, CPUSpMMOptions)] = [
        ("serial", .serial),
        ("threaded", CPUSpMMOptions(parallelThreshold: 0, chunksPerThread: 3, packMinimumReuse: 0, pool: threadedPool)),
        ("serial locality order, gathering SpMV",
         CPUSpMMOptions(maxThreads: 1, gatherSpMV: true, panelColumns: 0, rowOrdering: .locality)),
        ("threaded longest rows first, 5-column panels",
         CPUSpMMOptions(
            parallelThreshold: 0, chunksPerThread: 3, packMinimumReuse: 0, pool: threadedPool, panelColumns: 5,
            rowOrdering: .byLengthDescending)),
        ("threaded locality order, 3-vector tiles, 8-column panels",
         CPUSpMMOptions(
            parallelThreshold: 0, chunksPerThread: 2, pool: threadedPool, tileVectors: 3, panelColumns: 8, rowOrdering: .locality)),
    ]
    for isa in CPUISA.supported {
        list.append((
            "\(isa.rawValue) 1-vector tiles, streaming, prefetch, gathering SpMV",
            CPUSpMMOptions(
                maxThreads: 1, isa: isa, tileVectors: 1, streamingStores: true, prefetchDistance: 3, gatherSpMV: true,
                    panelColumns: 0)))
        for tiles in [3, 8] {
            list.append((
                "\(isa.rawValue) \(tiles)-vector tiles threaded",
                CPUSpMMOptions(
                    parallelThreshold: 0, chunksPerThread: 3, packMinimumReuse: 0, pool: threadedPool, isa: isa,
                    tileVectors: tiles, prefetchDistance: tiles == 8 ? 1 : 0, panelColumns: tiles == 8 ? 8 : 5)))
        }
    }
    return list
}()

/// N, K, M, density: empty shapes, N = 1, M = 1, M not a multiple of any vector width,
/// K odd, M that needs every tail kind.
let awkwardShapes: [(n: Int, k: Int, m: Int, density: Double)] = [
    (0, 5, 3, 0.5), (0, 0, 4, 0.5), (4, 0, 5, 0.5), (3, 5, 0, 0.5), (1, 1, 1, 1.0), (1, 37, 1, 0.3),
    (7, 13, 1, 0.4), (7, 13, 2, 0.4), (7, 13, 3, 0.4), (9, 17, 4, 0.3), (9, 17, 5, 0.3), (9, 17, 8, 0.3),
    (9, 17, 9, 0.3), (9, 17, 15, 0.3), (11, 19, 16, 0.3), (11, 19, 17, 0.3), (33, 31, 33, 0.2),
    (20, 29, 47, 0.2), (21, 63, 64, 0.1), (19, 65, 65, 0.1), (17, 33, 100, 0.2), (40, 71, 129, 0.05),
    (13, 9, 200, 0.0), (64, 257, 31, 0.02),
    // Strides of 1 and 4 KiB with X slices past the repacking threshold: the repacked path.
    (7, 1030, 256, 0.05), (5, 130, 1024, 0.1),
]

func checkMultiply(_ w: CSRMatrix<Float>, plan: CPUSpMMPlan, m: Int, seed: UInt64, bias: Bool, relu: Bool) throws {
    let x = try TestMatrices.dense(rows: w.columns, columns: m, seed: seed)
    let b = bias ? TestMatrices.bias(w.rows, seed: seed &+ 1) : nil
    let reference = try ReferenceSpMM.multiply(w, x, bias: b.map { $0.map(Double.init) }, relu: relu)
    var y = try TestMatrices.poisoned(rows: w.rows, columns: m)
    try plan.multiply(x, into: &y, epilogue: CPUEpilogue(bias: b, relu: relu))
    let error = ReferenceSpMM.relativeError(y.storage, reference: reference.storage)
    #expect(error <= 1e-5, "N=\(w.rows) K=\(w.columns) M=\(m) nnz=\(w.nnz) bias=\(bias) relu=\(relu): error \(error)")
    // Without a workspace (X read in place, overlapping tail vectors), and from a 64-byte
    // aligned copy of X (padded tiles without repacking when M is a multiple of 16).
    let aligned = UnsafeMutableBufferPointer<Float>(
        start: UnsafeMutableRawPointer.allocate(byteCount: max(64, x.storage.count * 4), alignment: 64)
            .bindMemory(to: Float.self, capacity: x.storage.count), count: x.storage.count)
    defer { aligned.deallocate() }
    _ = aligned.initialize(from: x.storage)
    for source in [0, 1] {
        var raw = [Float](repeating: .nan, count: w.rows * m)
        let run = { (xb: UnsafeBufferPointer<Float>) in
            raw.withUnsafeMutableBufferPointer { plan.run(x: xb, y: $0, m: m, epilogue: CPUEpilogue(bias: b, relu: relu)) }
        }
        if source == 0 { x.storage.withUnsafeBufferPointer(run) } else { run(UnsafeBufferPointer(aligned)) }
        let rawError = ReferenceSpMM.relativeError(raw, reference: reference.storage)
        #expect(rawError <= 1e-5, "no workspace, source \(source), N=\(w.rows) K=\(w.columns) M=\(m): error \(rawError)")
    }
}

func checkLinear(_ w: CSRMatrix<Float>, plan: CPUSpMMPlan, m: Int, seed: UInt64, bias: Bool, relu: Bool) throws {
    let x = try TestMatrices.dense(rows: m, columns: w.columns, seed: seed)
    let b = bias ? TestMatrices.bias(w.rows, seed: seed &+ 1) : nil
    let reference = try ReferenceSpMM.linear(x, w, bias: b.map { $0.map(Double.init) }, relu: relu)
    var y = try TestMatrices.poisoned(rows: m, columns: w.rows)
    let workspace = plan.makeWorkspace(maxM: m)
    workspace.base.update(repeating: .nan, count: workspace.capacity)
    x.storage.withUnsafeBufferPointer { xb in
        y.storage.withUnsafeMutableBufferPointer { yb in
            plan.runLinear(x: xb, y: yb, m: m, workspace: workspace, epilogue: CPUEpilogue(bias: b, relu: relu))
        }
    }
    let error = ReferenceSpMM.relativeError(y.storage, reference: reference.storage)
    #expect(error <= 1e-5, "linear N=\(w.rows) K=\(w.columns) M=\(m) nnz=\(w.nnz): error \(error)")
    // The safe wrapper agrees.
    let safe = try plan.linear(x, epilogue: CPUEpilogue(bias: b, relu: relu))
    #expect(ReferenceSpMM.relativeError(safe.storage, reference: reference.storage) <= 1e-5)
}

@Suite struct CPUSpMMPlanTests {
    @Test(arguments: 0..<awkwardShapes.count)
    func csrAwkwardShapes(index: Int) throws {
        let s = awkwardShapes[index]
        let w = try TestMatrices.csr(rows: s.n, columns: s.k, density: s.density, seed: UInt64(index))
        for (_, options) in planOptions {
            let plan = CPUSpMMPlan(csr: w, options: options)
            try checkMultiply(w, plan: plan, m: s.m, seed: 100 + UInt64(index), bias: false, relu: false)
            try checkMultiply(w, plan: plan, m: s.m, seed: 200 + UInt64(index), bias: true, relu: true)
        }
    }

    /// Column panels: the layout keeps every stored value once, panel by panel, and the
    /// product is the same when the residual is Y itself (panels then run inside each row,
    /// since partial sums in Y would overwrite the residual) and when it is another buffer.
    @Test func panelsWithResidualInPlaceAndApart() throws {
        let w = try TestMatrices.csr(rows: 23, columns: 150, density: 0.3, seed: 5, emptyRows: [2])
        let plan = CPUSpMMPlan(csr: w, options: CPUSpMMOptions(maxThreads: 1, panelColumns: 16))
        #expect(plan.panelCount == 10)
        #expect(plan.blockOffsets.count == 10 * 23 + 1 && Int(plan.blockOffsets.last ?? 0) == w.nnz)
        let m = 37, ld = 48
        var g = SeededGenerator(seed: 8)
        let x: [Float] = (0..<(150 * ld)).map { _ in g.nextSignedUnitFloat() }
        let start: [Float] = (0..<(23 * ld)).map { _ in g.nextSignedUnitFloat() }
        let dense = w.dense()
        for inPlace in [true, false] {
            var y = inPlace ? start : [Float](repeating: .nan, count: 23 * ld)
            x.withUnsafeBufferPointer { xb in
                start.withUnsafeBufferPointer { sb in
                    y.withUnsafeMutableBufferPointer { yb in
                        plan.run(
                            x: xb.baseAddress!, ldx: ld, y: yb.baseAddress!, ldy: ld, m: m,
                            residual: inPlace ? UnsafePointer(yb.baseAddress!) : sb.baseAddress!, ldr: ld)
                    }
                }
            }
            for r in 0..<23 {
                for c in 0..<m {
                    var sum = Double(start[r * ld + c])
                    for j in 0..<150 { sum += Double(dense[r, j]) * Double(x[j * ld + c]) }
                    #expect(abs(Double(y[r * ld + c]) - sum) <= 1e-4 * max(1, abs(sum)), "in place \(inPlace) (\(r), \(c))")
                }
            }
        }
    }

    @Test func emptyRowsAndOneDenseRow() throws {
        let w = try TestMatrices.csr(
            rows: 37, columns: 53, density: 0.1, seed: 7, emptyRows: [0, 5, 6, 7, 36], denseRows: [3, 20])
        for (_, options) in planOptions {
            let plan = CPUSpMMPlan(csr: w, options: options)
            for m in [1, 3, 16, 17, 70] {
                try checkMultiply(w, plan: plan, m: m, seed: UInt64(m), bias: true, relu: false)
                try checkMultiply(w, plan: plan, m: m, seed: UInt64(m), bias: false, relu: true)
            }
        }
    }

    /// A reordered plan packs W's rows in the order SparseFormats computes and maps each back.
    @Test func reorderedPlansPackTheOrderAndMapItBack() throws {
        let w = try TestMatrices.csr(rows: 37, columns: 53, density: 0.15, seed: 5, emptyRows: [2, 9], denseRows: [30])
        for ordering in [RowOrdering.locality, .byLengthDescending] {
            let plan = CPUSpMMPlan(csr: w, options: CPUSpMMOptions(maxThreads: 1, rowOrdering: ordering))
            let order = try #require(ordering.rowOrder(for: w))
            #expect(plan.rowMap == order.rows)
            #expect(plan.blockOffsets == (try order.applied(to: w)).rowOffsets)
        }
        #expect(CPUSpMMPlan(csr: w, options: .serial).rowMap == nil)
        // Every row of even length: the length order is the identity, so nothing is mapped.
        let even = try CSRMatrix<Float>(rows: 3, columns: 4, rowOffsets: [0, 2, 4, 6], columnIndices: [0, 1, 1, 2, 2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(CPUSpMMPlan(csr: even, options: CPUSpMMOptions(rowOrdering: .byLengthDescending)).rowMap == nil)
    }

    @Test func nnzZeroWritesBiasEverywhere() throws {
        let w = try CSRMatrix<Float>(zeros: 6, 9)
        let plan = CPUSpMMPlan(csr: w, options: .serial)
        let x = try TestMatrices.dense(rows: 9, columns: 18, seed: 1)
        var y = try TestMatrices.poisoned(rows: 6, columns: 18)
        let bias: [Float] = [1, -2, 3, -4, 5, -6]
        try plan.multiply(x, into: &y, epilogue: CPUEpilogue(bias: bias, relu: true))
        for r in 0..<6 { for c in 0..<18 { #expect(y[r, c] == max(bias[r], 0)) } }
    }

    @Test(arguments: [0.5, 0.7, 0.9, 0.95, 0.99])
    func randomCSRAtSparsity(sparsity: Double) throws {
        let w = try TestMatrices.csr(rows: 150, columns: 211, density: 1 - sparsity, seed: UInt64(sparsity * 1000))
        for (_, options) in planOptions {
            let plan = CPUSpMMPlan(csr: w, options: options)
            for m in [1, 8, 32, 49, 196] {
                try checkMultiply(w, plan: plan, m: m, seed: UInt64(m) &+ 11, bias: true, relu: true)
            }
        }
    }

    @Test func linearConvention() throws {
        for (i, s) in [(1, 1, 1), (7, 13, 1), (7, 13, 2), (33, 31, 17), (20, 29, 65), (1, 40, 20), (50, 3, 33)].enumerated() {
            let w = try TestMatrices.csr(rows: s.0, columns: s.1, density: 0.3, seed: UInt64(i) &+ 40, emptyRows: [0])
            for (_, options) in planOptions {
                let plan = CPUSpMMPlan(csr: w, options: options)
                try checkLinear(w, plan: plan, m: s.2, seed: UInt64(i), bias: false, relu: false)
                try checkLinear(w, plan: plan, m: s.2, seed: UInt64(i) &+ 9, bias: true, relu: true)
            }
        }
    }

    @Test(arguments: [(1, 4), (1, 8), (4, 1), (4, 4), (2, 2), (8, 1), (2, 3), (1, 1), (3, 5)])
    func bsrBlockShapes(blockRows: Int, blockColumns: Int) throws {
        for (i, s) in [(1, 1), (2, 3), (5, 7), (12, 9)].enumerated() {
            let rows = s.0 * blockRows, columns = s.1 * blockColumns
            let b = try TestMatrices.bsr(
                rows: rows, columns: columns, blockRows: blockRows, blockColumns: blockColumns, density: 0.4,
                seed: UInt64(i * 31 + blockRows * 7 + blockColumns))
            let w = try TestMatrices.expand(b)
            for (_, options) in planOptions {
                let plan = CPUSpMMPlan(bsr: b, options: options)
                for m in [1, 3, 5, 9, 16, 17, 33, 64, 100] {
                    try checkMultiply(w, plan: plan, m: m, seed: UInt64(m + i), bias: true, relu: m % 2 == 1)
                }
                try checkLinear(w, plan: plan, m: 19, seed: 3, bias: true, relu: false)
            }
        }
    }

    @Test func halfPrecisionWeightsAreWidened() throws {
        let w = try TestMatrices.csr(rows: 30, columns: 40, density: 0.3, seed: 5)
        let w16 = try CSRMatrix<Float16>(
            rows: w.rows, columns: w.columns, rowOffsets: w.rowOffsets, columnIndices: w.columnIndices,
            values: w.values.map { Float16($0) })
        let wbf = try CSRMatrix<BFloat16>(
            rows: w.rows, columns: w.columns, rowOffsets: w.rowOffsets, columnIndices: w.columnIndices,
            values: w.values.map { BFloat16($0) })
        let x = try TestMatrices.dense(rows: 40, columns: 21, seed: 6)
        let reference16 = try ReferenceSpMM.multiply(w16, x)
        let referenceBF = try ReferenceSpMM.multiply(wbf, x)
        let y16 = try CPUSpMMPlan(csr: w16).multiply(x)
        let ybf = try CPUSpMMPlan(csr: wbf).multiply(x)
        #expect(ReferenceSpMM.relativeError(y16.storage, reference: reference16.storage) <= 1e-5)
        #expect(ReferenceSpMM.relativeError(ybf.storage, reference: referenceBF.storage) <= 1e-5)
    }

    @Test func shapeErrorsAreTyped() throws {
        let plan = CPUSpMMPlan(csr: try TestMatrices.csr(rows: 4, columns: 6, density: 0.5, seed: 1))
        let wrongX = try DenseMatrix<Float>(zeros: 5, 3)
        #expect(throws: CPUKernelError.self) { _ = try plan.multiply(wrongX) }
        var wrongY = try DenseMatrix<Float>(zeros: 4, 2)
        #expect(throws: CPUKernelError.shapeMismatch(operation: "spmm W x X", operand: "Y", expected: [4, 3], actual: [4, 2])) {
            try plan.multiply(try DenseMatrix<Float>(zeros: 6, 3), into: &wrongY)
        }
        #expect(throws: CPUKernelError.biasCount(expected: 4, actual: 3)) {
            _ = try plan.multiply(try DenseMatrix<Float>(zeros: 6, 3), epilogue: CPUEpilogue(bias: [1, 2, 3]))
        }
        #expect(throws: CPUKernelError.self) { _ = try plan.linear(try DenseMatrix<Float>(zeros: 3, 5)) }
    }

    @Test func chunksAreBalancedByNonzeros() throws {
        // Rows 0..<10 are dense, the other 990 rows have one value each: a row split would
        // put all the dense rows in one chunk.
        let w = try TestMatrices.csr(rows: 1000, columns: 500, density: 0.002, seed: 9, denseRows: Set(0..<10))
        let plan = CPUSpMMPlan(csr: w, options: CPUSpMMOptions(chunksPerThread: 4, pool: threadedPool))
        let bounds = plan.chunkBounds
        #expect(bounds.first == 0 && bounds.last == 1000)
        #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 })
        #expect(plan.chunkCount == 12)
        let costs = zip(bounds, bounds.dropFirst()).map { lo, hi in
            Int(w.rowOffsets[hi] - w.rowOffsets[lo]) + (hi - lo)
        }
        let total = w.nnz + 1000
        // No chunk holds more than its share plus one row (a dense row is 500 values).
        #expect(costs.allSatisfy { $0 <= total / 12 + 501 }, "\(costs)")
        #expect(bounds[1] < 10, "the first chunk must end inside the dense rows: \(bounds)")
    }

    @Test func unsafeRunMatchesSafeWrapper() throws {
        let w = try TestMatrices.csr(rows: 70, columns: 90, density: 0.1, seed: 77)
        let plan = CPUSpMMPlan(csr: w)
        let x = try TestMatrices.dense(rows: 90, columns: 37, seed: 78)
        let safe = try plan.multiply(x)
        var y = [Float](repeating: .nan, count: 70 * 37 + 5)
        x.storage.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { plan.run(x: xb, y: $0, m: 37) }
        }
        // The two paths tile M differently (in place vs repacked), so sums may round apart.
        let difference = ReferenceSpMM.relativeError(Array(y[0..<(70 * 37)]), reference: safe.storage.map(Double.init))
        #expect(difference <= 1e-6)
        let tailUntouched = y[70 * 37..<y.count].allSatisfy { $0.isNaN }
        #expect(tailUntouched, "run must not write past N x M")
    }
}
