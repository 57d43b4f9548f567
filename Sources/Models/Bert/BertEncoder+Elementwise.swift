import CPUKernels

extension BertEncoder {
    /// Runs `body` over `0..<count` in contiguous ranges on the pool, when there is enough work
    /// (`count * cost` at least 2^16) to pay for waking it.
    func parallelRanges(_ count: Int, cost: Int, _ body: (Range<Int>) -> Void) {
        let pieces = count * cost >= 1 << 16 ? min(count, 4 * pool.threadCount) : 1
        guard pieces > 1 else { return body(0..<count) }
        pool.run(items: pieces) { piece in body((count * piece / pieces)..<(count * (piece + 1) / pieces)) }
    }

    /// LayerNorm of each `hiddenSize` row of `x` into `y` (which may be `x`).
    func layerNorm(rows: Int, _ x: UnsafeMutableBufferPointer<Float>, _ norm: LayerNormWeights, into y: UnsafeMutableBufferPointer<Float>) {
        let h = config.hiddenSize, epsilon = Float(config.layerNormEpsilon)
        norm.gamma.withUnsafeBufferPointer { gamma in
            norm.beta.withUnsafeBufferPointer { beta in
                parallelRanges(rows, cost: h) { range in
                    for r in range {
                        // Rows r < rows of buffers holding at least rows x h floats.
                        let row = UnsafeMutableBufferPointer(rebasing: x[(r * h)..<((r + 1) * h)])
                        var sum: Float = 0
                        for v in row { sum += v }
                        let mean = sum / Float(h)
                        var squares: Float = 0
                        for v in row { squares += (v - mean) * (v - mean) }
                        let scale = 1 / (squares / Float(h) + epsilon).squareRoot()
                        for f in 0..<h { y[r * h + f] = (row[f] - mean) * scale * gamma[f] + beta[f] }
                    }
                }
            }
        }
    }

    /// `y = LayerNorm(x + residual)` row by row; `x` is overwritten with the sum, `y` may be `residual`.
    func addLayerNorm(
        rows: Int, _ x: UnsafeMutableBufferPointer<Float>, residual: UnsafeMutableBufferPointer<Float>,
        _ norm: LayerNormWeights, into y: UnsafeMutableBufferPointer<Float>
    ) {
        let count = rows * config.hiddenSize
        parallelRanges(count, cost: 1) { range in
            for i in range { x[i] += residual[i] }
        }
        layerNorm(rows: rows, x, norm, into: y)
    }

    /// The exact GELU, `x Φ(x) = x (1 + erf(x / √2)) / 2` (erf to Float32's rounding level), in
    /// place, eight values at a time; pieces of whole SIMD groups, a short last one padded.
    func gelu(_ x: UnsafeMutableBufferPointer<Float>, count: Int) {
        let base = x.baseAddress!
        let groups = (count + 7) / 8
        parallelRanges(groups, cost: 64) { range in
            for group in range {
                // Group < groups: floats 8 group..<8 group + 8, of which the first `valid` are < count.
                let start = group * 8, valid = min(8, count - start)
                if valid == 8 {
                    let v = UnsafeRawPointer(base + start).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(base + start).storeBytes(of: Self.gelu(v), as: SIMD8<Float>.self)
                } else {
                    var v = SIMD8<Float>()
                    for lane in 0..<valid { v[lane] = base[start + lane] }
                    let y = Self.gelu(v)
                    for lane in 0..<valid { base[start + lane] = y[lane] }
                }
            }
        }
    }

    @inline(__always)
    static func gelu(_ v: SIMD8<Float>) -> SIMD8<Float> { v * 0.5 * (1 + VectorMath.erf(v * 0.7071067811865476)) }

    /// Each text's mean over its tokens, then (with `normalize`) divided by its L2 norm (at least
    /// 1e-12, as PyTorch's `normalize`); `count x hiddenSize`, row-major.
    func meanPooled(_ hidden: UnsafeMutableBufferPointer<Float>, _ tokens: PackedTokens, normalize: Bool) -> [Float] {
        let h = config.hiddenSize
        var out = [Float](repeating: 0, count: tokens.lengths.count * h)
        for (text, (start, length)) in zip(tokens.starts, tokens.lengths).enumerated() where length > 0 {
            var sum = [Double](repeating: 0, count: h)
            for t in start..<(start + length) {
                for f in 0..<h { sum[f] += Double(hidden[t * h + f]) }
            }
            let mean = sum.map { $0 / Double(length) }
            let norm = normalize ? max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12) : 1
            for f in 0..<h { out[text * h + f] = Float(mean[f] / norm) }
        }
        return out
    }
}
