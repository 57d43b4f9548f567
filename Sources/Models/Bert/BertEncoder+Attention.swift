import CPUKernels
import Foundation

extension BertEncoder {
    /// Floats of scratch one (text, head) work item of attention uses for texts of up to `longest`
    /// tokens: Kᵀ of the head (`headSize x padded`) and four rows of scores (`padded` each).
    func attentionScratch(longest: Int) -> Int { (config.headSize + 4) * Self.padded(longest) }

    /// `count` rounded up to the SIMD width.
    static func padded(_ count: Int) -> Int { (count + 7) / 8 * 8 }

    /// Scaled dot-product attention per text and head over the text's own tokens (the padding mask
    /// of a padded batch), from the workspace's Q, K, V into its context; one work item per
    /// (text, head) on the pool.
    func attention(_ tokens: PackedTokens, _ w: EncoderWorkspace) {
        let h = config.hiddenSize, d = config.headSize, heads = config.headCount
        let scale = 1 / Float(d).squareRoot()
        // Q, K and V side by side in each token's row of 3h.
        let q = w.queryKeyValue.pointer.baseAddress!, k = q + h, v = q + 2 * h
        let context = w.context.pointer.baseAddress!, scratch = w.scores.pointer.baseAddress!
        let itemScratch = attentionScratch(longest: w.longestCapacity)
        let items = tokens.lengths.count * heads
        let work = tokens.lengths.reduce(0) { $0 + $1 * $1 } * d * heads
        let body = { (item: Int) in
            let text = item / heads, head = item % heads
            let start = tokens.starts[text], length = tokens.lengths[text], width = Self.padded(length)
            // Rows start..<start+length of the tokens x 3h and tokens x h buffers, columns
            // head*d..<(head+1)*d < h of each part; the item's scratch is its own
            // itemScratch >= (d + 4) x width floats.
            let offset = start * 3 * h + head * d, out = start * h + head * d
            let keys = scratch + item * itemScratch, p = keys + d * width
            Self.transposeHead(k + offset, rows: length, columns: d, rowStride: 3 * h, into: keys, width: width)
            // Four queries at a time share each load of K and V; the last few one by one.
            var i = 0
            while i + 4 <= length {
                Self.scores4(q + offset + i * 3 * h, queryStride: 3 * h, keysTransposed: keys, d: d, width: width, scale: scale, into: p)
                var inverse = SIMD4<Float>()
                for r in 0..<4 { inverse[r] = 1 / Self.softmaxNumerators(p + r * width, count: length, width: width) }
                Self.weightedSum4(
                    p, width: width, scales: inverse, values: v + offset, rows: length, rowStride: 3 * h, d: d,
                    into: context + out + i * h, outStride: h)
                i += 4
            }
            while i < length {
                Self.scores(q + offset + i * 3 * h, keysTransposed: keys, d: d, width: width, scale: scale, into: p)
                let sum = Self.softmaxNumerators(p, count: length, width: width)
                Self.weightedSum(p, scale: 1 / sum, values: v + offset, rows: length, rowStride: 3 * h, d: d, into: context + out + i * h)
                i += 1
            }
        }
        if work >= 1 << 16 && pool.threadCount > 1 {
            pool.run(items: items, body)
        } else {
            for item in 0..<items { body(item) }
        }
    }

    /// The head's K (`rows x columns`, row stride `rowStride`) as `columns x width`, padding zeroed.
    static func transposeHead(
        _ source: UnsafePointer<Float>, rows: Int, columns: Int, rowStride: Int, into target: UnsafeMutablePointer<Float>, width: Int
    ) {
        for c in 0..<columns {
            for r in 0..<rows { target[c * width + r] = source[r * rowStride + c] }
            (target + c * width + rows).update(repeating: 0, count: width - rows)
        }
    }

    /// `p[j] = e^(p[j] - max p)` for j < count, 0 up to `width` (a multiple of 8); returns their sum.
    @inline(__always)
    static func softmaxNumerators(_ p: UnsafeMutablePointer<Float>, count: Int, width: Int) -> Float {
        var largest = -Float.infinity
        for j in 0..<count { largest = max(largest, p[j]) }
        (p + count).update(repeating: -.infinity, count: width - count)
        var sums = SIMD8<Float>()
        var j = 0
        while j < width {
            // exp clamps -infinity to about 1e-38: zero the padding exactly instead.
            var e = VectorMath.exp(UnsafeRawPointer(p + j).loadUnaligned(as: SIMD8<Float>.self) - largest)
            if j + 8 > count { e.replace(with: 0, where: SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &+ Int32(j) .>= Int32(count)) }
            UnsafeMutableRawPointer(p + j).storeBytes(of: e, as: SIMD8<Float>.self)
            sums += e
            j += 8
        }
        return sums.sum()
    }

    /// `p[j] = scale Σ_f q[f] Kᵀ[f][j]` for every j < width, eight keys at a time held in registers.
    /// (Multiply then add: `addProduct` is a fused multiply-add, emulated in software on the CPUs
    /// the portable build targets.)
    @inline(__always)
    static func scores(
        _ q: UnsafePointer<Float>, keysTransposed keys: UnsafePointer<Float>, d: Int, width: Int, scale: Float,
        into p: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j < width {
            var lanes = SIMD8<Float>()
            for f in 0..<d { lanes += UnsafeRawPointer(keys + f * width + j).loadUnaligned(as: SIMD8<Float>.self) * q[f] }
            UnsafeMutableRawPointer(p + j).storeBytes(of: lanes * scale, as: SIMD8<Float>.self)
            j += 8
        }
    }

    /// ``scores(_:keysTransposed:d:width:scale:into:)`` for four queries (rows `queryStride` apart)
    /// into four rows of `p` (`width` apart).
    @inline(__always)
    static func scores4(
        _ q: UnsafePointer<Float>, queryStride: Int, keysTransposed keys: UnsafePointer<Float>, d: Int, width: Int, scale: Float,
        into p: UnsafeMutablePointer<Float>
    ) {
        let q1 = q + queryStride, q2 = q1 + queryStride, q3 = q2 + queryStride
        var j = 0
        while j < width {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            for f in 0..<d {
                let key = UnsafeRawPointer(keys + f * width + j).loadUnaligned(as: SIMD8<Float>.self)
                a0 += key * q[f]
                a1 += key * q1[f]
                a2 += key * q2[f]
                a3 += key * q3[f]
            }
            for (r, lanes) in [a0, a1, a2, a3].enumerated() {
                UnsafeMutableRawPointer(p + r * width + j).storeBytes(of: lanes * scale, as: SIMD8<Float>.self)
            }
            j += 8
        }
    }

    /// ``weightedSum(_:scale:values:rows:rowStride:d:into:)`` for four rows of `p` (`width` apart)
    /// into four output rows (`outStride` apart).
    @inline(__always)
    static func weightedSum4(
        _ p: UnsafePointer<Float>, width: Int, scales: SIMD4<Float>, values: UnsafePointer<Float>, rows: Int, rowStride: Int,
        d: Int, into out: UnsafeMutablePointer<Float>, outStride: Int
    ) {
        let p1 = p + width, p2 = p1 + width, p3 = p2 + width
        var f = 0
        while f + 8 <= d {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            for j in 0..<rows {
                let value = UnsafeRawPointer(values + j * rowStride + f).loadUnaligned(as: SIMD8<Float>.self)
                a0 += value * p[j]
                a1 += value * p1[j]
                a2 += value * p2[j]
                a3 += value * p3[j]
            }
            for (r, lanes) in [a0, a1, a2, a3].enumerated() {
                UnsafeMutableRawPointer(out + r * outStride + f).storeBytes(of: lanes * scales[r], as: SIMD8<Float>.self)
            }
            f += 8
        }
        while f < d {
            for r in 0..<4 {
                var sum: Float = 0
                for j in 0..<rows { sum += p[r * width + j] * values[j * rowStride + f] }
                out[r * outStride + f] = sum * scales[r]
            }
            f += 1
        }
    }

    /// `out[f] = scale Σ_j p[j] V[j][f]`, eight features at a time held in registers.
    @inline(__always)
    static func weightedSum(
        _ p: UnsafePointer<Float>, scale: Float, values: UnsafePointer<Float>, rows: Int, rowStride: Int, d: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        var f = 0
        while f + 8 <= d {
            var lanes = SIMD8<Float>()
            for j in 0..<rows { lanes += UnsafeRawPointer(values + j * rowStride + f).loadUnaligned(as: SIMD8<Float>.self) * p[j] }
            UnsafeMutableRawPointer(out + f).storeBytes(of: lanes * scale, as: SIMD8<Float>.self)
            f += 8
        }
        while f < d {
            var sum: Float = 0
            for j in 0..<rows { sum += p[j] * values[j * rowStride + f] }
            out[f] = sum * scale
            f += 1
        }
    }
}
