import CPUKernels
import Foundation
import SparseFormats

extension SparseAttention {
    /// One (text, head) computed densely, as SDPA with a boolean mask does: every score of the
    /// text's `n x n` matrix (two GEMMs of the whole square), then the pattern's dense boolean
    /// mask (``AttentionPattern/contains(query:key:length:)``, independent of the ACSR layout)
    /// before the softmax; a query with no key gets a zero context. Same operands as
    /// ``run(isa:layout:q:k:v:ld:context:headSize:scale:scratch:)``; allocates its n x n scratch.
    /// The baseline, and the check of the sparse path, that the pattern's sparsity saves.
    package func runDenseMask(
        length n: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ld: Int,
        context: UnsafeMutablePointer<Float>, headSize d: Int, scale: Float, gemm: DenseGEMM
    ) {
        guard n > 0 else { return }
        precondition(ld >= n, "SparseAttention.runDenseMask: row stride \(ld) below length \(n)")
        let mask = (0..<(n * n)).map { pattern.contains(query: $0 % n, key: $0 / n, length: n) }  // [key][query]
        var keysTokenMajor = [Float](repeating: 0, count: n * max(d, 1))
        for f in 0..<d { for j in 0..<n { keysTokenMajor[j * d + f] = k[f * ld + j] } }
        // S (keys x queries) = scale K Q: K token-major (n x d) by Q feature-major (d x n, stride ld).
        var scores = [Float](repeating: 0, count: n * n)
        keysTokenMajor.withUnsafeBufferPointer { kt in
            scores.withUnsafeMutableBufferPointer { s in
                if d > 0 {
                    gemm.sgemm(m: n, n: n, k: d, alpha: scale, a: kt.baseAddress!, lda: d, b: q, ldb: ld, c: s.baseAddress!, ldc: n)
                }
                // The masked softmax down each query's column.
                for i in 0..<n {
                    var largest = -Float.infinity
                    for j in 0..<n where mask[j * n + i] { largest = max(largest, s[j * n + i]) }
                    var sum: Float = 0
                    for j in 0..<n {
                        let e: Float = mask[j * n + i] ? exp(s[j * n + i] - largest) : 0
                        s[j * n + i] = e
                        sum += e
                    }
                    let inverse: Float = sum > 0 ? 1 / sum : 0
                    for j in 0..<n { s[j * n + i] *= inverse }
                }
                // Context (d x queries, stride ld) = V (d x keys, stride ld) P (keys x queries).
                if d > 0 { gemm.sgemm(m: d, n: n, k: n, a: v, lda: ld, b: s.baseAddress!, ldb: n, c: context, ldc: ld) }
            }
        }
    }
}
