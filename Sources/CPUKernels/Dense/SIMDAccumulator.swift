// Register-resident accumulators for the Swift fallback GEMM (SwiftGEMM); the SpMM kernels are
// in C (CPUKernelsC).
//
// Everything here is `@inline(__always)` and generic over the SIMD width: after
// specialisation (release builds compile the module whole) each use becomes a
// handful of vector registers, and `count` (a literal at every call site) folds
// away the unused ones.

/// `acc += a * b`, fused where the build targets a CPU with FMA.
///
/// Without `SPARROW_FMA` on x86-64 the standard library's `addProduct` calls `fmaf`
/// once per lane (there is no FMA instruction in baseline x86-64), which is ~20x
/// slower than a multiply and an add; so the default build multiplies then adds.
@inline(__always)
func multiplyAdd<S: SIMD>(_ acc: inout S, _ a: S, _ b: S) where S.Scalar == Float {
    #if SPARROW_FMA || arch(arm64)
    acc.addProduct(a, b)
    #else
    acc = acc + a * b
    #endif
}

/// Loads a vector from an address that need not be aligned.
@inline(__always)
func loadVector<S: SIMD>(_: S.Type, _ pointer: UnsafePointer<Float>) -> S where S.Scalar == Float {
    UnsafeRawPointer(pointer).loadUnaligned(as: S.self)
}

/// Up to four column offsets (in elements) of the vectors of one tile of the dense dimension,
/// and how many lanes of the last vector are real columns (the rest read X's padding and
/// are not stored).
struct TileOffsets {
    var o0 = 0, o1 = 0, o2 = 0, o3 = 0
    var lastValid = Int.max
}

/// Four accumulators of one output row; only the first `count` are live.
struct Accumulators<S: SIMD> where S.Scalar == Float {
    var a0 = S(), a1 = S(), a2 = S(), a3 = S()

    /// Adds already loaded B vectors times `value` (one load shared across rows).
    @inline(__always)
    mutating func add(_ count: Int, _ value: Float, _ x0: S, _ x1: S, _ x2: S, _ x3: S) {
        let v = S(repeating: value)
        multiplyAdd(&a0, v, x0)
        if count > 1 { multiplyAdd(&a1, v, x1) }
        if count > 2 { multiplyAdd(&a2, v, x2) }
        if count > 3 { multiplyAdd(&a3, v, x3) }
    }

}
