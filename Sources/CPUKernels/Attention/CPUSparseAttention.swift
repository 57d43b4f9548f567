import CPUKernelsC
import SparseFormats

/// Fused sparse attention over an ``ACSR`` pattern on the CPU, in fp32 (CPUKernelsC's
/// attention_acsr_template.h: per query row the scores of its keys, an online softmax and the
/// weighted sum of the values in one pass, SIMD over the head's features; head sizes 32, 64 and
/// 128 get unrolled loops, any other size works). Checked against SparseFormats' Float64
/// ``ReferenceAttention``.
package enum CPUSparseAttention {
    /// One head, rows `rows`: token-major Q, K, V (query i's features at `q[i * ld + f]`,
    /// f < `headSize`) and output (`out[i * outLD + f]`). Single-threaded: the caller splits
    /// heads and row ranges over its pool. `pattern` is valid by construction, so every key is
    /// below its length: K and V must hold `pattern.length` rows, Q and the output `rows`.
    package static func head(
        isa: CPUISA, pattern: ACSR, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ld: Int,
        out: UnsafeMutablePointer<Float>, outLD: Int, headSize: Int, scale: Float, rows: Range<Int>
    ) {
        precondition(ld >= headSize && outLD >= headSize && rows.lowerBound >= 0 && rows.upperBound <= pattern.length,
            "CPUSparseAttention.head: rows \(rows) of \(pattern.length), strides \(ld), \(outLD) below \(headSize)")
        pattern.segmentStart.withUnsafeBufferPointer { start in
            pattern.segmentStride.withUnsafeBufferPointer { stride in
                pattern.segmentCount.withUnsafeBufferPointer { count in
                    var operands = sparrow_acsr_attention_operands(
                        q: q, k: k, v: v, out: out, ld: Int64(ld), out_ld: Int64(outLD), head_size: Int64(headSize), scale: scale,
                        segments_per_row: Int64(pattern.segmentsPerRow), segment_start: start.baseAddress,
                        segment_stride: stride.baseAddress, segment_count: count.baseAddress)
                    sparrow_acsr_attention(isa.cValue, &operands, Int64(rows.lowerBound), Int64(rows.upperBound))
                }
            }
        }
    }

    /// Every head of `[batchHeads][L][headSize]` Q, K and V (row-major, L = `pattern.length`) into
    /// `out` of the same shape, (head, row block) pieces spread over `pool`; `scale` defaults to
    /// 1 / sqrt(headSize).
    package static func run(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
        pattern: ACSR, batchHeads: Int, headSize: Int, scale: Float? = nil, isa: CPUISA = .automatic, pool: CPUWorkerPool = .shared
    ) {
        let length = pattern.length, scale = scale ?? 1 / Float(headSize).squareRoot()
        guard length > 0, batchHeads > 0 else { return }
        // Enough pieces to balance the pool (rows differ little in cost for regular patterns),
        // none shorter than 16 rows; inline when the work would not pay for waking the pool.
        let work = pattern.nnz * max(headSize, 1) * batchHeads
        let wanted = work >= 1 << 16 ? 4 * pool.threadCount : 1
        let blocks = min((length + 15) / 16, max(1, (wanted + batchHeads - 1) / batchHeads))
        let items = batchHeads * blocks
        pool.run(items: items) { item in
            let offset = item / blocks * length * headSize, block = item % blocks
            // Rows block * length / blocks ..< (block + 1) * length / blocks of this head: inside
            // its length x headSize floats of each operand.
            head(
                isa: isa, pattern: pattern, q: q + offset, k: k + offset, v: v + offset, ld: headSize, out: out + offset,
                outLD: headSize, headSize: headSize, scale: scale, rows: (block * length / blocks)..<((block + 1) * length / blocks))
        }
    }

    /// ``run(q:k:v:out:pattern:batchHeads:headSize:scale:isa:pool:)`` over arrays; throws when
    /// an operand is not `batchHeads x L x headSize`.
    package static func attention(
        q: [Float], k: [Float], v: [Float], pattern: ACSR, batchHeads: Int, headSize: Int, scale: Float? = nil,
        isa: CPUISA = .automatic, pool: CPUWorkerPool = .shared
    ) throws(SparseFormatError) -> [Float] {
        let count = batchHeads * pattern.length * headSize
        for (name, operand) in [("Q", q.count), ("K", k.count), ("V", v.count)] where operand != count || batchHeads < 0 || headSize < 0 {
            throw .shapeMismatch(operation: "attention \(name) [batchHeads][L][d]", left: [batchHeads, pattern.length, headSize], right: [operand])
        }
        var out = [Float](repeating: .nan, count: count)
        q.withUnsafeBufferPointer { qb in
            k.withUnsafeBufferPointer { kb in
                v.withUnsafeBufferPointer { vb in
                    out.withUnsafeMutableBufferPointer { ob in
                        guard let q = qb.baseAddress, let k = kb.baseAddress, let v = vb.baseAddress, let o = ob.baseAddress else { return }
                        run(q: q, k: k, v: v, out: o, pattern: pattern, batchHeads: batchHeads, headSize: headSize, scale: scale, isa: isa, pool: pool)
                    }
                }
            }
        }
        return out
    }
}
