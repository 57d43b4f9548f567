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

    /// One head's operands for ``run(_:headSize:scale:isa:pool:)``: its pattern, token-major Q,
    /// K and V (rows `ld` floats apart, `layout.length` rows each) and output (rows `outLD` apart).
    package struct Head {
        package var layout: ACSR
        package var q: UnsafePointer<Float>
        package var k: UnsafePointer<Float>
        package var v: UnsafePointer<Float>
        package var ld: Int
        package var out: UnsafeMutablePointer<Float>
        package var outLD: Int

        package init(
            layout: ACSR, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ld: Int,
            out: UnsafeMutablePointer<Float>, outLD: Int
        ) {
            self.layout = layout
            self.q = q
            self.k = k
            self.v = v
            self.ld = ld
            self.out = out
            self.outLD = outLD
        }
    }

    /// Every row of every head, in (head, block of rows) pieces over `pool`: enough pieces to
    /// balance it (rows of a regular pattern differ little in cost), none below 16 rows, and all
    /// on the calling thread when the work (nnz x headSize multiply-adds) would not pay for
    /// waking the pool.
    package static func run(_ heads: [Head], headSize: Int, scale: Float, isa: CPUISA = .automatic, pool: CPUWorkerPool = .shared) {
        let rows = heads.reduce(0) { $0 + $1.layout.length }
        let work = heads.reduce(0) { $0 + $1.layout.nnz } * max(headSize, 1)
        let wanted = work >= 1 << 16 ? 4 * pool.threadCount : 1
        let rowsPerPiece = max(16, (rows + wanted - 1) / max(wanted, 1))
        var pieces: [(head: Int, rows: Range<Int>)] = []
        for (index, head) in heads.enumerated() {
            for first in stride(from: 0, to: head.layout.length, by: rowsPerPiece) {
                pieces.append((index, first..<min(head.layout.length, first + rowsPerPiece)))
            }
        }
        pool.run(items: pieces.count, maxThreads: wanted == 1 ? 1 : nil) { item in
            let (index, range) = pieces[item]
            let h = heads[index]
            self.head(
                isa: isa, pattern: h.layout, q: h.q, k: h.k, v: h.v, ld: h.ld, out: h.out, outLD: h.outLD, headSize: headSize,
                scale: scale, rows: range)
        }
    }

    /// Every head of `[batchHeads][L][headSize]` Q, K and V (row-major, L = `pattern.length`) into
    /// `out` of the same shape; `scale` defaults to 1 / sqrt(headSize).
    package static func run(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>,
        pattern: ACSR, batchHeads: Int, headSize: Int, scale: Float? = nil, isa: CPUISA = .automatic, pool: CPUWorkerPool = .shared
    ) {
        let size = pattern.length * headSize
        // Head h's operands are the h-th length x headSize block of each array.
        let heads = (0..<batchHeads).map { h in
            Head(layout: pattern, q: q + h * size, k: k + h * size, v: v + h * size, ld: headSize, out: out + h * size, outLD: headSize)
        }
        run(heads, headSize: headSize, scale: scale ?? 1 / Float(headSize).squareRoot(), isa: isa, pool: pool)
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
