/// Programmatic dependent launch (sm_90): a kernel launched with programmatic stream
/// serialization may start while the kernel before it on the stream is still finishing, so it
/// must wait (`griddepcontrol.wait`) before it reads anything that kernel wrote. The encoder
/// kernels call the wait first always; an SpMM kernel gets it through
/// ``KernelSource/waitingForPreviousGrid()`` when Runtime is to launch it that way.
extension KernelSource {
    /// The device function every dependent-launchable kernel calls first. Launched normally,
    /// `griddepcontrol.wait` returns at once; below sm_90 the function is empty.
    package static let waitForPreviousGridFunction = """
        // Programmatic dependent launch (sm_90): waits until the previous kernel on the stream has
        // finished and its writes are visible; returns at once when launched normally.
        __device__ __forceinline__ void wait_for_previous_grid() {
        #if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
          asm volatile("griddepcontrol.wait;" ::: "memory");
        #endif
        }
        """

    /// The same kernel with `wait_for_previous_grid()` as its first statement (defined just
    /// before the kernel), so that it may be launched as a programmatic dependent launch; the
    /// source's first line says so. Nil when the entry point's definition is not found (its
    /// `extern "C"` line, then its name and the `{` that opens its body).
    package func waitingForPreviousGrid() -> KernelSource? {
        guard let name = source.range(of: entryPoint + "("),
              let externLine = source.range(of: "extern \"C\"", options: .backwards, range: source.startIndex..<name.lowerBound),
              let open = source.range(of: "{", range: name.upperBound..<source.endIndex)
        else { return nil }
        var text = source
        text.insert(contentsOf: "\n  wait_for_previous_grid();", at: open.upperBound)
        text.insert(contentsOf: Self.waitForPreviousGridFunction + "\n\n", at: externLine.lowerBound)
        var kernel = self
        kernel.source = "// sparrow: waits for the previous grid first (programmatic dependent launch)\n" + text
        return kernel
    }
}
