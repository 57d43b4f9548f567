import CPUKernels

extension BertEncoder {
    /// Runs `body` over `0..<count` in contiguous ranges on the pool, when there is enough work
    /// (`count * cost` at least 2^16) to pay for waking it.
    func parallelRanges(_ count: Int, cost: Int, _ body: (Range<Int>) -> Void) {
        let pieces = count * cost >= 1 << 16 ? min(count, 4 * pool.threadCount) : 1
        guard pieces > 1 else { return body(0..<count) }
        pool.run(items: pieces) { piece in body((count * piece / pieces)..<(count * (piece + 1) / pieces)) }
    }

    /// LayerNorm over the features of each of `columns` tokens: `x` and `y` (which may be `x`) are
    /// feature-major, `hiddenSize` rows `ld` apart. Eight tokens at a time (SIMD lanes across
    /// tokens), two passes for the mean and the variance; a short last group reads and writes the
    /// padding columns of its rows (`ld` is a multiple of 16), which nothing else reads.
    func layerNorm(columns: Int, ld: Int, _ x: UnsafeMutableBufferPointer<Float>, _ norm: LayerNormWeights, into y: UnsafeMutableBufferPointer<Float>) {
        let h = config.hiddenSize, epsilon = Float(config.layerNormEpsilon)
        precondition(ld % 8 == 0 && ld >= columns && x.count >= h * ld && y.count >= h * ld, "layerNorm: rows of \(ld) floats for \(columns) tokens")
        let source = x.baseAddress!, target = y.baseAddress!
        func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        norm.gamma.withUnsafeBufferPointer { gamma in
            norm.beta.withUnsafeBufferPointer { beta in
                parallelRanges((columns + 7) / 8, cost: 3 * h) { range in
                    for group in range {
                        // Columns 8 group..<8 group + 8 <= ld of rows f < h: inside h x ld floats.
                        let c = group * 8
                        var sum = SIMD8<Float>()
                        for f in 0..<h { sum += load(source + f * ld + c) }
                        let mean = sum / Float(h)
                        var squares = SIMD8<Float>()
                        for f in 0..<h {
                            let centred = load(source + f * ld + c) - mean
                            squares += centred * centred
                        }
                        let scale = 1 / (squares / Float(h) + epsilon).squareRoot()
                        for f in 0..<h {
                            let value = (load(source + f * ld + c) - mean) * scale * gamma[f] + beta[f]
                            UnsafeMutableRawPointer(target + f * ld + c).storeBytes(of: value, as: SIMD8<Float>.self)
                        }
                    }
                }
            }
        }
    }

    /// Each text's mean over its tokens (columns of the feature-major `hidden`, rows `ld` apart),
    /// then (with `normalize`) divided by its L2 norm (at least 1e-12, as PyTorch's `normalize`);
    /// `count x hiddenSize`, row-major.
    func meanPooled(_ hidden: UnsafeMutableBufferPointer<Float>, ld: Int, _ tokens: PackedTokens, normalize: Bool) -> [Float] {
        let h = config.hiddenSize
        var out = [Float](repeating: 0, count: tokens.lengths.count * h)
        for (text, (start, length)) in zip(tokens.starts, tokens.lengths).enumerated() where length > 0 {
            var mean = [Double](repeating: 0, count: h)
            for f in 0..<h {
                var sum = 0.0
                for t in start..<(start + length) { sum += Double(hidden[f * ld + t]) }
                mean[f] = sum / Double(length)
            }
            let norm = normalize ? max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12) : 1
            for f in 0..<h { out[text * h + f] = Float(mean[f] / norm) }
        }
        return out
    }
}
