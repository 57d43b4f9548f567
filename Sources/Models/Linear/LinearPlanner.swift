import CPUKernels
import Foundation
import SparseFormats

/// Chooses each linear layer's kernel by measuring, on this machine, the dense and the sparse
/// ``LinearLayer`` at the batch shapes (token counts) the model will run, and keeping the faster.
/// A few runs each, at plan time; the result is a ``MeasuredLinearPlan`` that can be saved beside
/// the model and reused without measuring again.
package struct LinearPlanner: Sendable {
    /// Timed runs per kernel and shape (median kept), after one untimed run.
    package var runs = 3
    package var pool: CPUWorkerPool = .shared
    package var gemm: DenseGEMM = .shared

    package init(runs: Int = 3) { self.runs = max(1, runs) }

    /// Measures every linear layer of `weights` (query, key and value stacked, as the encoder runs
    /// them) at each token count of `tokens`.
    package func plan(_ weights: BertWeights, tokens: [Int]) throws(ModelError) -> MeasuredLinearPlan {
        var entries: [MeasuredLinearPlan.Entry] = []
        let counts = Array(Set(tokens.filter { $0 > 0 })).sorted()
        for layer in weights.layers {
            for w in [layer.queryKeyValue, layer.attentionOutput, layer.intermediate, layer.output] {
                let dense = try LinearLayer(w, plan: .dense, pool: pool)
                let sparse = try LinearLayer(w, plan: .sparse, pool: pool)
                for m in counts {
                    let denseSeconds = time(dense, m: m), sparseSeconds = time(sparse, m: m)
                    entries.append(MeasuredLinearPlan.Entry(
                        layer: w.name, shape: [dense.outputs, dense.inputs], tokens: m, sparsity: dense.sparsity,
                        kernel: sparseSeconds < denseSeconds ? .sparse : .dense, denseMs: denseSeconds * 1e3, sparseMs: sparseSeconds * 1e3,
                        block: sparse.blockShape))
                }
            }
        }
        return MeasuredLinearPlan(entries: entries)
    }

    /// Median seconds of `y = W x + b` at `m` tokens (feature-major, rows padded as the encoder
    /// pads them), x seeded.
    func time(_ layer: LinearLayer, m: Int) -> Double {
        var generator = SeededGenerator(seed: 0x5eed)
        let ld = CPUSpMMPlan.paddedWidth(m)
        let x: [Float] = generator.signedUnitValues(layer.inputs * ld)
        var y = [Float](repeating: 0, count: layer.outputs * ld)
        var seconds: [Double] = []
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for run in 0...runs {
                    let start = ContinuousClock.now
                    layer.apply(xp, ldx: ld, m: m, into: yp, ldy: ld, gemm: gemm)
                    let parts = start.duration(to: .now).components
                    if run > 0 { seconds.append(Double(parts.seconds) + Double(parts.attoseconds) * 1e-18) }
                }
            }
        }
        return seconds.sorted()[seconds.count / 2]
    }
}
