import Foundation
import SparseFormats
import Testing
@testable import CPUKernels

/// The exact GELU in Float64.
private func gelu(_ x: Double) -> Double { x * 0.5 * (1 + erf(x / 2.0.squareRoot())) }

/// Largest `|a - b| / max(1, |b|)` over paired values.
private func worstError(_ pairs: [(Float, Double)]) -> Double {
    pairs.reduce(0) { max($0, abs(Double($1.0) - $1.1) / max(1, abs($1.1))) }
}

/// Feature-major encoder kernels (CPUKernelsC's encoder_template.h and the SpMM epilogue's GELU
/// and residual) against Float64 references, on every instruction-set path this CPU runs, over
/// strides, lengths and widths that hit every masked tail; untouched memory is checked too.
@Suite struct CPUEncoderKernelsTests {
    /// `Y = GELU?(W X + b) + R` over row-strided X, Y and R, CSR and 4x4 BSR, every plan option.
    @Test(arguments: [(9, 17, 5), (11, 19, 17), (33, 31, 33), (8, 64, 128), (40, 72, 129), (12, 8, 1)])
    func stridedRunWithGELUAndResidual(n: Int, k: Int, m: Int) throws {
        let csr = try TestMatrices.csr(rows: n, columns: k, density: 0.3, seed: UInt64(n * k + m))
        let bsr = try TestMatrices.bsr(rows: n / 4 * 4, columns: k / 4 * 4, blockRows: 4, blockColumns: 4, density: 0.4, seed: 9)
        let ldx = m + 5, ldy = m + 3, ldr = m + 7
        var g = SeededGenerator(seed: UInt64(m))
        let x: [Float] = (0..<(k * ldx)).map { _ in g.nextSignedUnitFloat() * 2 }
        let residual: [Float] = (0..<(n * ldr)).map { _ in g.nextSignedUnitFloat() }
        let bias = TestMatrices.bias(n, seed: 3)
        for (matrix, plans) in [
            (csr, planOptions.map { CPUSpMMPlan(csr: csr, options: $0.1) }),
            (try TestMatrices.expand(bsr), planOptions.map { CPUSpMMPlan(bsr: bsr, options: $0.1) }),
        ] {
            let rows = matrix.rows, dense = matrix.dense()
            for (plan, (name, _)) in zip(plans, planOptions) {
                for (useGELU, useResidual) in [(true, false), (false, true), (true, true)] {
                    var y = [Float](repeating: -77, count: rows * ldy)
                    x.withUnsafeBufferPointer { xb in
                        residual.withUnsafeBufferPointer { rb in
                            y.withUnsafeMutableBufferPointer { yb in
                                plan.run(
                                    x: xb.baseAddress!, ldx: ldx, y: yb.baseAddress!, ldy: ldy, m: m,
                                    epilogue: CPUEpilogue(bias: Array(bias.prefix(rows)), gelu: useGELU),
                                    residual: useResidual ? rb.baseAddress! : nil, ldr: ldr)
                            }
                        }
                    }
                    var pairs: [(Float, Double)] = []
                    for r in 0..<rows {
                        for c in 0..<m {
                            var sum = Double(bias[r])
                            for j in 0..<matrix.columns { sum += Double(dense[r, j]) * Double(x[j * ldx + c]) }
                            if useGELU { sum = gelu(sum) }
                            if useResidual { sum += Double(residual[r * ldr + c]) }
                            pairs.append((y[r * ldy + c], sum))
                        }
                        #expect(y[(r * ldy + m)..<((r + 1) * ldy)].allSatisfy { $0 == -77 }, "\(name): padding of row \(r) written")
                    }
                    #expect(worstError(pairs) <= 2e-5, "\(name) \(rows)x\(matrix.columns) m=\(m) gelu=\(useGELU) residual=\(useResidual)")
                }
            }
        }
    }

    /// One (text, head) of attention at a column offset inside wider rows, every length tail.
    @Test(arguments: CPUISA.supported)
    func attentionMatchesFloat64(isa: CPUISA) {
        for length in [1, 2, 7, 16, 17, 33, 65, 130] {
            for headSize in [1, 6, 32] {
                let offset = 3, ld = offset + length + 9
                var g = SeededGenerator(seed: UInt64(length * 100 + headSize))
                let q: [Float] = (0..<(headSize * ld)).map { _ in g.nextSignedUnitFloat() * 3 }
                let k: [Float] = (0..<(headSize * ld)).map { _ in g.nextSignedUnitFloat() * 3 }
                let v: [Float] = (0..<(headSize * ld)).map { _ in g.nextSignedUnitFloat() }
                var context = [Float](repeating: -77, count: headSize * ld)
                var scratch = [Float](repeating: .nan, count: CPUEncoderKernels.attentionScratchCount(length: length))
                let scale = 1 / Float(headSize).squareRoot()
                q.withUnsafeBufferPointer { qb in
                    k.withUnsafeBufferPointer { kb in
                        v.withUnsafeBufferPointer { vb in
                            context.withUnsafeMutableBufferPointer { cb in
                                scratch.withUnsafeMutableBufferPointer { sb in
                                    CPUEncoderKernels.attention(
                                        isa: isa, q: qb.baseAddress! + offset, k: kb.baseAddress! + offset, v: vb.baseAddress! + offset,
                                        context: cb.baseAddress! + offset, ld: ld, headSize: headSize, length: length, scale: scale,
                                        scratch: sb.baseAddress!)
                                }
                            }
                        }
                    }
                }
                var pairs: [(Float, Double)] = []
                for i in 0..<length {
                    var scores = (0..<length).map { j in
                        (0..<headSize).reduce(0.0) { $0 + Double(q[$1 * ld + offset + i]) * Double(k[$1 * ld + offset + j]) } * Double(scale)
                    }
                    let largest = scores.max() ?? 0
                    scores = scores.map { exp($0 - largest) }
                    let total = scores.reduce(0, +)
                    for f in 0..<headSize {
                        let expected = (0..<length).reduce(0.0) { $0 + scores[$1] * Double(v[f * ld + offset + $1]) } / total
                        pairs.append((context[f * ld + offset + i], expected))
                    }
                }
                #expect(worstError(pairs) <= 1e-5, "\(isa) length \(length) head \(headSize)")
                for f in 0..<headSize {
                    let row = context[(f * ld)..<((f + 1) * ld)]
                    #expect(row.prefix(offset).allSatisfy { $0 == -77 } && row.suffix(ld - offset - length).allSatisfy { $0 == -77 },
                            "\(isa) length \(length): context written outside the text")
                }
            }
        }
    }

    /// The dense layers' epilogue over a range of rows: every combination of bias, GELU and
    /// residual, widths with every tail, GELU far into both tails.
    @Test(arguments: CPUISA.supported)
    func denseEpilogueRows(isa: CPUISA) {
        for columns in [1, 3, 4, 8, 15, 16, 17, 33, 100] {
            let rows = 7, ldy = columns + 2, ldr = columns + 5, range = 2..<6
            var g = SeededGenerator(seed: UInt64(columns))
            let original: [Float] = (0..<(rows * ldy)).map { _ in g.nextSignedUnitFloat() * 12 }
            let residual: [Float] = (0..<(rows * ldr)).map { _ in g.nextSignedUnitFloat() }
            let bias = TestMatrices.bias(rows, seed: 5)
            for (useBias, useGELU, useResidual) in [(true, true, false), (true, false, true), (false, true, true), (false, false, false)] {
                var y = original
                bias.withUnsafeBufferPointer { bb in
                    residual.withUnsafeBufferPointer { rb in
                        y.withUnsafeMutableBufferPointer { yb in
                            CPUEncoderKernels.epilogue(
                                isa: isa, y: yb.baseAddress!, ldy: ldy, columns: columns, rows: range,
                                bias: useBias ? bb.baseAddress! : nil, gelu: useGELU,
                                residual: useResidual ? rb.baseAddress! : nil, ldr: ldr)
                        }
                    }
                }
                var pairs: [(Float, Double)] = []
                for r in 0..<rows {
                    for c in 0..<ldy {
                        var expected = Double(original[r * ldy + c])
                        if range.contains(r) && c < columns {
                            if useBias { expected += Double(bias[r]) }
                            if useGELU { expected = gelu(expected) }
                            if useResidual { expected += Double(residual[r * ldr + c]) }
                        }
                        pairs.append((y[r * ldy + c], expected))
                    }
                }
                #expect(worstError(pairs) <= 1e-6, "\(isa) columns \(columns) bias \(useBias) gelu \(useGELU) residual \(useResidual)")
            }
        }
    }

    /// GELU's erf (a rational approximation on [-4, 4], encoder_template.h) over a dense grid of
    /// [-10, 10] on every path: within 1.5e-6 of float64's (measured 1.1e-6 at worst, near |x| = 5.7).
    @Test(arguments: CPUISA.supported)
    func geluOverADenseGrid(isa: CPUISA) {
        let count = 200_001
        let original: [Float] = (0..<count).map { -10 + 20 * Float($0) / Float(count - 1) }
        var y = original
        y.withUnsafeMutableBufferPointer { yb in
            CPUEncoderKernels.epilogue(isa: isa, y: yb.baseAddress!, ldy: count, columns: count, rows: 0..<1, bias: nil, gelu: true)
        }
        let pairs = zip(y, original).map { ($0, gelu(Double($1))) }
        #expect(worstError(pairs) <= 1.5e-6, "\(isa)")
    }
}
