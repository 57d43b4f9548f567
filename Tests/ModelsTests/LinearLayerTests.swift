import CPUKernels
import Foundation
import SparseFormats
import Testing
@testable import Models

/// `LinearLayer.apply` over feature-major, row-strided operands against a Float64 reference: dense
/// (OpenBLAS and the Swift GEMM; layers large enough to be split over the pool) and sparse, with
/// GELU and a residual, and nothing written past the `m` columns of Y's rows.
struct LinearLayerTests {
    @Test(arguments: [(130, 64, 40), (7, 5, 3), (33, 17, 129), (64, 96, 1)])
    func featureMajorApplyMatchesFloat64(outputs: Int, inputs: Int, m: Int) throws {
        var g = SeededGenerator(seed: UInt64(outputs * inputs + m))
        // Half the weights zero, so the sparse kernels have something to skip.
        let values: [Float] = (0..<(outputs * inputs)).map { _ in g.nextSignedUnitFloat() }.enumerated().map { $0.offset % 2 == 0 ? 0 : $0.element }
        let pool = CPUWorkerPool(threads: 3)
        for (plan, gemm) in [(LinearPlan.dense, DenseGEMM.shared), (.dense, .swiftFallback(pool: pool)), (.sparse, .shared)] {
            try Self.check(values, outputs: outputs, inputs: inputs, m: m, plan: plan, gemm: gemm, pool: pool, seed: &g)
        }
    }

    /// A sparse layer's W is stored in column panels by its density
    /// (``CPUSpMMOptions/panelColumns(forDensity:)``): 128 columns at 0.9 sparsity, 64 at 0.5,
    /// and either layout gives the Float64 result.
    @Test(arguments: [(0.9, 128), (0.5, 64)])
    func sparseLayersPanelWByDensity(sparsity: Double, panelColumns: Int) throws {
        let (outputs, inputs, m) = (37, 300, 20)
        var g = SeededGenerator(seed: 0x9a9e1)
        // Every tenth (or second) weight kept, at a seeded offset per row.
        let keep = sparsity == 0.9 ? 10 : 2
        let values: [Float] = (0..<(outputs * inputs)).map { i in
            (i % inputs + i / inputs) % keep == 0 ? g.nextSignedUnitFloat() : 0
        }
        #expect(CPUSpMMOptions.panelColumns(forDensity: 1 - sparsity) == panelColumns)
        let pool = CPUWorkerPool(threads: 2)
        let layer = try Self.check(values, outputs: outputs, inputs: inputs, m: m, plan: .sparse, gemm: .shared, pool: pool, seed: &g)
        guard case let .sparse(plan, _) = layer.storage else {
            Issue.record("a \(sparsity)-sparse layer planned sparse is not sparse")
            return
        }
        #expect(plan.panelCount == (inputs + panelColumns - 1) / panelColumns)
    }

    /// Builds the layer of `values` (`outputs x inputs`, row-major, a seeded bias) under `plan` and
    /// checks `apply` over feature-major, row-strided operands against a Float64 reference, plain,
    /// with GELU and with a residual, and that nothing is written past the `m` columns of Y's rows.
    @discardableResult
    static func check(
        _ values: [Float], outputs: Int, inputs: Int, m: Int, plan: LinearPlan, gemm: DenseGEMM, pool: CPUWorkerPool,
        seed g: inout SeededGenerator
    ) throws -> LinearLayer {
        let weights = LinearWeights(
            name: "w", weight: try DenseMatrix(rows: outputs, columns: inputs, storage: values), bias: (0..<outputs).map { _ in g.nextSignedUnitFloat() })
        let ldx = m + 3, ldy = m + 5, ldr = m + 1
        let x: [Float] = (0..<(inputs * ldx)).map { _ in g.nextSignedUnitFloat() }
        let residual: [Float] = (0..<(outputs * ldr)).map { _ in g.nextSignedUnitFloat() }
        let layer = try LinearLayer(weights, plan: plan, pool: pool)
        for (gelu, useResidual) in [(false, false), (true, false), (false, true)] {
            var y = [Float](repeating: -77, count: outputs * ldy)
            x.withUnsafeBufferPointer { xb in
                residual.withUnsafeBufferPointer { rb in
                    y.withUnsafeMutableBufferPointer { yb in
                        layer.apply(xb, ldx: ldx, m: m, into: yb, ldy: ldy, gelu: gelu, residual: useResidual ? rb : nil, ldr: ldr, gemm: gemm)
                    }
                }
            }
            var worst = 0.0
            for r in 0..<outputs {
                for c in 0..<m {
                    var sum = Double(weights.bias[r])
                    for k in 0..<inputs { sum += Double(values[r * inputs + k]) * Double(x[k * ldx + c]) }
                    if gelu { sum = sum * 0.5 * (1 + erf(sum / 2.0.squareRoot())) }
                    if useResidual { sum += Double(residual[r * ldr + c]) }
                    worst = max(worst, abs(Double(y[r * ldy + c]) - sum) / max(1, abs(sum)))
                }
                #expect(y[(r * ldy + m)..<((r + 1) * ldy)].allSatisfy { $0 == -77 }, "row \(r) written past m")
            }
            #expect(worst <= 2e-5, "\(layer.kernel) \(gemm.backend) \(outputs)x\(inputs) m=\(m) gelu=\(gelu) residual=\(useResidual): \(worst)")
        }
        return layer
    }
}
