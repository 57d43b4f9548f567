import CPUKernels
import Foundation
import SparseFormats
import Testing

/// W in column panels (ten of 16 columns) on the layouts the models run, on every kernel path this
/// CPU runs, serial and split over threads, against a Float64 reference, with every float of Y's
/// buffer that is not a result checked to keep its canary: 64 floats before and after Y, and the
/// padding of each feature-major row (`ldy > m`). Feature-major Y (the outer-panel pass, partial
/// sums through Y) with GELU, a residual apart and a residual in place; transposed Y (`linear`);
/// one column of X (the SpMV over panels). CSR with 33 rows (not a multiple of a block or a
/// vector), also packed longest rows first (the row map, which the partial sums follow), BSR 4 x 4
/// and 1 x 8.
struct CPUSpMMPanelBoundsTests {
    static let canary: Float = -77.25
    static let margin = 64

    enum Weight: String, CaseIterable { case csr, bsr4x4, bsr1x8 }

    /// The plan's W as CSR (explicit zeros of blocks kept) and the plan for `options`.
    static func weight(_ kind: Weight, options: CPUSpMMOptions) throws -> (CSRMatrix<Float>, CPUSpMMPlan) {
        switch kind {
        case .csr:
            let w = try TestMatrices.csr(rows: 33, columns: 150, density: 0.3, seed: 41, emptyRows: [4], denseRows: [32])
            return (w, CPUSpMMPlan(csr: w, options: options))
        case .bsr4x4, .bsr1x8:
            let (r, c) = kind == .bsr4x4 ? (4, 4) : (1, 8)
            let b = try TestMatrices.bsr(rows: r == 4 ? 32 : 33, columns: 144, blockRows: r, blockColumns: c, density: 0.3, seed: 42)
            return (try TestMatrices.expand(b), CPUSpMMPlan(bsr: b, options: options))
        }
    }

    static func options(_ isa: CPUISA) -> [(String, CPUSpMMOptions)] {
        [
            ("\(isa.rawValue) serial", CPUSpMMOptions(maxThreads: 1, isa: isa, panelColumns: 16)),
            ("\(isa.rawValue) threaded, 3-vector tiles",
             CPUSpMMOptions(
                parallelThreshold: 0, chunksPerThread: 3, pool: threadedPool, isa: isa, tileVectors: 3, panelColumns: 16)),
            ("\(isa.rawValue) threaded, longest rows first",
             CPUSpMMOptions(
                parallelThreshold: 0, chunksPerThread: 3, pool: threadedPool, isa: isa, panelColumns: 16,
                rowOrdering: .byLengthDescending)),
        ]
    }

    /// `Y` inside a buffer of canaries, `margin` floats on each side; `body` gets Y's first float.
    static func guarded(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var buffer = [Float](repeating: canary, count: count + 2 * margin)
        buffer.withUnsafeMutableBufferPointer { body($0.baseAddress! + margin) }
        return buffer
    }

    @Test(arguments: Weight.allCases, [1, 3, 17, 40, 129])
    func featureMajorPanelsStayInsideY(weight: Weight, m: Int) throws {
        for isa in CPUISA.supported {
            for (name, options) in Self.options(isa) {
                let (w, plan) = try Self.weight(weight, options: options)
                #expect(plan.panelCount > 1)
                let dense = w.dense()
                let ldx = m + 3, ldy = m + 5, ldr = m + 1
                var g = SeededGenerator(seed: UInt64(m * 31 + w.rows))
                let x: [Float] = g.signedUnitValues(w.columns * ldx)
                let bias: [Float] = g.signedUnitValues(w.rows)
                let residual: [Float] = g.signedUnitValues(w.rows * ldr)
                let start: [Float] = g.signedUnitValues(w.rows * ldy)
                for (gelu, mode) in [(false, 0), (true, 0), (false, 1), (true, 2)] {
                    // mode 0: no residual, 1: a residual apart, 2: the residual is Y itself.
                    let buffer = Self.guarded(w.rows * ldy) { y in
                        if mode == 2 { y.update(from: start, count: start.count) }
                        x.withUnsafeBufferPointer { xb in
                            residual.withUnsafeBufferPointer { rb in
                                plan.run(
                                    x: xb.baseAddress!, ldx: ldx, y: y, ldy: ldy, m: m, epilogue: CPUEpilogue(bias: bias, gelu: gelu),
                                    residual: mode == 0 ? nil : mode == 1 ? rb.baseAddress! : UnsafePointer(y), ldr: mode == 2 ? ldy : ldr)
                            }
                        }
                    }
                    var worst = 0.0, strays = 0
                    for (i, value) in buffer.enumerated() {
                        let offset = i - Self.margin
                        let (r, c) = offset >= 0 ? (offset / ldy, offset % ldy) : (-1, 0)
                        guard r >= 0, r < w.rows, c < m else {
                            if mode == 2 && r >= 0 && r < w.rows {
                                if value != start[offset] { strays += 1 }
                            } else if value != Self.canary { strays += 1 }
                            continue
                        }
                        var sum = Double(bias[r])
                        for k in 0..<w.columns { sum += Double(dense[r, k]) * Double(x[k * ldx + c]) }
                        if gelu { sum = sum * 0.5 * (1 + erf(sum / 2.0.squareRoot())) }
                        if mode == 1 { sum += Double(residual[r * ldr + c]) }
                        if mode == 2 { sum += Double(start[r * ldy + c]) }
                        worst = max(worst, abs(Double(value) - sum) / max(1, abs(sum)))
                    }
                    #expect(worst <= 2e-5, "\(weight) \(name) m=\(m) gelu=\(gelu) residual mode \(mode): error \(worst)")
                    #expect(strays == 0, "\(weight) \(name) m=\(m) gelu=\(gelu) residual mode \(mode): \(strays) floats outside the results changed")
                }
            }
        }
    }

    /// The `linear` convention (Y written transposed, panels walked inside each row) and m = 1
    /// (`run` with one column: the SpMV over panels for CSR).
    @Test(arguments: Weight.allCases, [1, 2, 17, 40])
    func transposedAndSingleColumnPanelsStayInsideY(weight: Weight, m: Int) throws {
        for isa in CPUISA.supported {
            for (name, options) in Self.options(isa) {
                let (w, plan) = try Self.weight(weight, options: options)
                let dense = w.dense()
                var g = SeededGenerator(seed: UInt64(m * 17 + w.rows))
                let x: [Float] = g.signedUnitValues(m * w.columns)
                let bias: [Float] = g.signedUnitValues(w.rows)
                let workspace = plan.makeWorkspace(maxM: m)
                let buffer = Self.guarded(m * w.rows) { y in
                    x.withUnsafeBufferPointer { xb in
                        plan.runLinear(
                            x: xb, y: UnsafeMutableBufferPointer(start: y, count: m * w.rows), m: m, workspace: workspace,
                            epilogue: CPUEpilogue(bias: bias, relu: true))
                    }
                }
                var worst = 0.0, strays = 0
                for (i, value) in buffer.enumerated() {
                    let offset = i - Self.margin
                    guard offset >= 0, offset < m * w.rows else {
                        if value != Self.canary { strays += 1 }
                        continue
                    }
                    let (t, r) = (offset / w.rows, offset % w.rows)
                    var sum = Double(bias[r])
                    for k in 0..<w.columns { sum += Double(dense[r, k]) * Double(x[t * w.columns + k]) }
                    worst = max(worst, abs(Double(value) - max(0, sum)) / max(1, abs(sum)))
                }
                #expect(worst <= 1e-5, "\(weight) \(name) linear m=\(m): error \(worst)")
                #expect(strays == 0, "\(weight) \(name) linear m=\(m): \(strays) floats outside Y changed")
            }
        }
    }
}
