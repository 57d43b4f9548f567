import SparseFormats

/// How close two sets of embeddings are: the one definition the checks against references use.
package enum EmbeddingCosine {
    /// The smallest cosine between corresponding rows of `dimension` floats (0 when the counts
    /// differ or there is nothing to compare).
    package static func minimum(_ a: [Float], _ b: [Float], dimension: Int) -> Double {
        guard a.count == b.count, dimension > 0, !a.isEmpty else { return 0 }
        return stride(from: 0, to: a.count, by: dimension).map { start in
            var dot = 0.0, aa = 0.0, bb = 0.0
            for i in start..<(start + dimension) {
                dot += Double(a[i]) * Double(b[i])
                aa += Double(a[i]) * Double(a[i])
                bb += Double(b[i]) * Double(b[i])
            }
            return dot / max((aa * bb).squareRoot(), .leastNormalMagnitude)
        }.min() ?? 0
    }

    /// The smallest cosine against a reference that counts as a match, per element type
    /// (fp32: 0.9999; fp16 and bf16: 0.999).
    package static func bar(_ type: ElementType) -> Double { type == .f32 ? 0.9999 : 0.999 }
}
