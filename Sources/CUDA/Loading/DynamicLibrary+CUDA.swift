import SystemLibraries

// CUDA's libraries are opened RTLD_GLOBAL (``LibraryLoader``) so companions such as
// cublasLt resolve; their entry points are required unless optional is said.
extension DynamicLibrary {
    /// `name` cast to the C function type `T`.
    /// - Throws: ``CUDAError/symbolMissing(library:symbol:)`` when the library lacks it.
    func function<T>(_ name: String, as type: T.Type = T.self) throws(CUDAError) -> T {
        guard let function = symbol(name, as: T.self) else {
            throw .symbolMissing(library: path, symbol: name)
        }
        return function
    }
}
