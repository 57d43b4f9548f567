import CPUKernelsC

/// The transformer encoder's kernels besides SpMM and GEMM, over feature-major activations (one
/// row per feature, one column per token, rows `ld` floats apart), on the instruction-set path
/// given (CPUKernelsC's encoder_template.h). Single-threaded: the caller splits the work (heads,
/// row ranges) over its pool. Nothing here allocates or checks bounds beyond the preconditions.
package enum CPUEncoderKernels {
    /// Floats of scratch one ``attention(isa:q:k:v:context:ld:headSize:length:scale:scratch:)``
    /// call over `length` tokens needs (the same on every path).
    package static func attentionScratchCount(length: Int) -> Int { Int(sparrow_attention_scratch_count(Int64(length))) }

    /// One (text, head) of scaled dot-product attention: Q, K, V and the context are `headSize`
    /// rows of `length` columns, rows `ld` apart; `context[f][i] = Σ_j softmax_j(scale q_i·k_j) v[f][j]`.
    /// Only columns `0..<length` of the context rows are written.
    package static func attention(
        isa: CPUISA, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
        context: UnsafeMutablePointer<Float>, ld: Int, headSize: Int, length: Int, scale: Float,
        scratch: UnsafeMutablePointer<Float>
    ) {
        precondition(ld >= length && headSize >= 0, "CPUEncoderKernels.attention: row stride \(ld) below length \(length)")
        var operands = sparrow_attention_operands(
            q: q, k: k, v: v, context: context, ld: Int64(ld), head_size: Int64(headSize), length: Int64(length),
            scale: scale, scratch: scratch)
        sparrow_attention(isa.cValue, &operands)
    }

    /// Rows `rows` of Y (`columns` floats each, rows `ldy` apart), in place: `y + bias[row]`, then
    /// the exact GELU when `gelu`, then `+ residual[row][column]` (rows `ldr` apart); `bias` and
    /// `residual` may be nil. The dense linear layers' epilogue (the sparse kernels fuse theirs).
    package static func epilogue(
        isa: CPUISA, y: UnsafeMutablePointer<Float>, ldy: Int, columns: Int, rows: Range<Int>,
        bias: UnsafePointer<Float>?, gelu: Bool, residual: UnsafePointer<Float>? = nil, ldr: Int = 0
    ) {
        precondition(ldy >= columns && (residual == nil || ldr >= columns), "CPUEncoderKernels.epilogue: a row stride below \(columns)")
        sparrow_epilogue_rows(
            isa.cValue, y, Int64(ldy), Int64(columns), bias, gelu ? 1 : 0, residual, Int64(ldr), Int64(rows.lowerBound),
            Int64(rows.upperBound))
    }
}
