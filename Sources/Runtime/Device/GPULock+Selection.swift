extension SelectedDevice {
    /// The ``GPULock`` of the selected GPU (waiting as ``GPULock/acquire(ordinal:directory:timeout:poll:note:)``
    /// says), or nil on the CPU: held for as long as kernels are timed.
    package func lockGPU(
        timeout: Double?, directory: String = GPULock.directory(), note: (String) -> Void
    ) throws(GPULockError) -> GPULock? {
        guard case let .gpu(gpu) = self else { return nil }
        return try GPULock.acquire(ordinal: gpu.context.ordinal, directory: directory, timeout: timeout, note: note)
    }
}
