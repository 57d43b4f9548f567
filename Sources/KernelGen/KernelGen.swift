// The KernelGen module; see ../shared/docs/architecture.md.
//
// Pure: given an `SpMMProblem` and an `SpMMConfig` it writes CUDA C source and the
// launch geometry, and decides nothing about speed. It never imports CUDA.

/// Namespace for the SpMM kernel generator.
public enum KernelGen {
    /// Version of the generated source. Bump it whenever the text a renderer emits
    /// changes for any (problem, config); kernel caches and the tuning database key on it.
    public static let generatorVersion = 4
}
