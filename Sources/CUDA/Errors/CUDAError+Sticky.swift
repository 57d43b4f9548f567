extension CUDAError {
    /// Driver codes after which the context is unusable ("sticky" errors: every later call in
    /// the process fails too): an illegal address (700), a hardware stack error (714), an
    /// illegal instruction (715), a misaligned address (716), an invalid address space (717),
    /// an invalid program counter (718), a failed launch (719).
    package static let stickyDriverCodes: Set<Int32> = [700, 714, 715, 716, 717, 718, 719]

    /// Whether this error leaves the CUDA context unusable, so nothing more can run in this
    /// process (a kernel faulted); a caller should stop and let a new process go on.
    package var isStickyContextFault: Bool {
        if case let .driver(_, code, _) = self { Self.stickyDriverCodes.contains(code) } else { false }
    }
}
