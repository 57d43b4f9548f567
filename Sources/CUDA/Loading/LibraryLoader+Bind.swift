import SystemLibraries

extension LibraryLoader {
    /// `library` loaded and its entry points bound by `bind`, or why not: the `shared` value of
    /// each math library's wrapper (cuBLAS, cuSPARSE, cuSPARSELt).
    static func bind<Bound>(_ library: CUDALibrary, _ bind: (DynamicLibrary) throws(CUDAError) -> Bound) -> Result<Bound, CUDAError> {
        let load = load(library)
        guard let handle = load.library else {
            return .failure(.libraryMissing(library: library.rawValue, reason: load.failureReason))
        }
        do throws(CUDAError) {
            return .success(try bind(handle))
        } catch {
            return .failure(error)
        }
    }

    /// "major.minor.patch" from a library's `*GetProperty` (libraryPropertyType MAJOR_VERSION,
    /// MINOR_VERSION, PATCH_LEVEL = 0, 1, 2; needs no GPU); `check` turns a status into an error.
    static func version(
        _ getProperty: PFN_libraryGetProperty, check: (Int32) throws(CUDAError) -> Void
    ) throws(CUDAError) -> String {
        var parts: [Int32] = [0, 0, 0]
        for index in 0..<3 {
            try check(getProperty(Int32(index), &parts[index]))
        }
        return parts.map(String.init).joined(separator: ".")
    }
}
