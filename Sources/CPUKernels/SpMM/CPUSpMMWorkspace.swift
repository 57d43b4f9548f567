/// Scratch memory for one caller of ``CPUSpMMPlan``: a 64-byte aligned buffer that receives X
/// repacked with rows padded to 16 floats (and, for the `linear` convention, transposed).
///
/// SIMD16 loads that straddle two cache lines cost twice as much, and a row-major X of M
/// columns has its rows at 64-byte boundaries only when M is a multiple of 16 and the buffer
/// is aligned (Swift arrays are 16-byte aligned): the repacked copy is worth its cost whenever
/// each X row is reused (the plan decides). Create one per thread, sized once with
/// ``CPUSpMMPlan/makeWorkspace(maxM:)``; a call never grows it.
package final class CPUSpMMWorkspace {
    /// Capacity in floats.
    package let capacity: Int
    let base: UnsafeMutablePointer<Float>

    /// A workspace of `capacity` floats.
    package init(capacity: Int) {
        self.capacity = max(0, capacity)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(64, self.capacity * 4), alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(16, self.capacity))
    }

    deinit { base.deallocate() }
}

extension CPUSpMMPlan {
    /// Floats of workspace a call with `m` columns (or `m` linear rows) can use.
    package func workspaceCount(m: Int) -> Int { columns * Self.paddedWidth(m) }

    /// A workspace large enough for any call with up to `maxM` columns.
    package func makeWorkspace(maxM: Int) -> CPUSpMMWorkspace { CPUSpMMWorkspace(capacity: workspaceCount(m: maxM)) }
}
