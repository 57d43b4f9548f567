/// Programmatic dependent launch (sm_90): a kernel launched with programmatic stream
/// serialization may start while the kernel before it on the stream is still finishing, so it
/// must wait (`griddepcontrol.wait`) before it reads anything that kernel wrote. The encoder
/// kernels call the wait first always; an SpMM kernel gets it through
/// ``KernelSource/waitingForPreviousGrid()`` when Runtime is to launch it that way, where its
/// template marks the place (``dependentWaitMarker``: after its first loads of W, which no
/// earlier kernel writes) or else first.
///
/// No kernel triggers its dependents early (`griddepcontrol.launch_dependents`): measured on the
/// H200 (docs/perf/2026-12-01-h200-session7), a trigger right after the wait let the fused
/// attention kernel launch while the QKV SpMM still ran and made MiniLM's all-SpMM graphs 7-90 us
/// slower (the fewer and heavier the attention blocks, the worse); only the GEMM-attention form
/// gained (10 us), and none came near the all-cuBLAS graph. A dependent launch then starts once
/// every block of the previous grid has exited (the implicit trigger).
extension KernelSource {
    /// The device function every dependent-launchable kernel calls before it reads anything an
    /// earlier kernel wrote. Launched normally, `griddepcontrol.wait` returns at once; below sm_90
    /// the function is empty.
    package static let waitForPreviousGridFunction = """
        // Programmatic dependent launch (sm_90): waits until the previous kernel on the stream has
        // finished and its writes are visible; returns at once when launched normally.
        __device__ __forceinline__ void wait_for_previous_grid() {
        #if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
          asm volatile("griddepcontrol.wait;" ::: "memory");
        #endif
        }
        """

    /// Where a template wants the wait of a dependent launch: a comment line in the kernel's
    /// body, placed after the loads that read only W (its offsets, indices and values, which no
    /// kernel of a forward writes) and before anything reads X, the residual or Y.
    package static let dependentWaitMarker = "// sparrow: a dependent launch waits for the previous grid here"

    /// The same kernel calling `wait_for_previous_grid()` (defined just before the kernel), so
    /// that it may be launched as a programmatic dependent launch: at the template's
    /// ``dependentWaitMarker`` when its body holds one (after its first loads of W), else as the body's first
    /// statement; the source's first line says which. Nil when the entry point's definition is
    /// not found (its `extern "C"` line, then its name and the `{` that opens its body), or when
    /// a marker lies outside that body.
    package func waitingForPreviousGrid() -> KernelSource? {
        guard let name = source.range(of: entryPoint + "("),
              let externLine = source.range(of: "extern \"C\"", options: .backwards, range: source.startIndex..<name.lowerBound),
              let open = source.range(of: "{", range: name.upperBound..<source.endIndex)
        else { return nil }
        var text = source
        let header: String
        if let marker = text.range(of: Self.dependentWaitMarker) {
            guard marker.lowerBound > open.upperBound,
                  text.range(of: Self.dependentWaitMarker, range: marker.upperBound..<text.endIndex) == nil
            else { return nil }
            text.replaceSubrange(marker, with: "wait_for_previous_grid();  // X, the residual and Y follow")
            header = "// sparrow: waits for the previous grid after its first loads of W (programmatic dependent launch)\n"
        } else {
            text.insert(contentsOf: "\n  wait_for_previous_grid();", at: open.upperBound)
            header = "// sparrow: waits for the previous grid first (programmatic dependent launch)\n"
        }
        text.insert(contentsOf: Self.waitForPreviousGridFunction + "\n\n", at: externLine.lowerBound)
        var kernel = self
        kernel.source = header + text
        return kernel
    }
}
