#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A shared library opened with `dlopen`, kept open for the life of the process.
///
/// The one wrapper of `dlopen`, `dlsym` and `dlerror` in Sparrow: CUDA loads the driver,
/// NVRTC, cuBLAS and cuSPARSE through it, CPUKernels loads OpenBLAS. Symbols are looked up
/// by name and cast to `@convention(c)` Swift function types that mirror the C declarations.
package final class DynamicLibrary: @unchecked Sendable {
    // @unchecked: the handle is immutable after init and dlsym is thread-safe.
    /// The path (or soname) that was opened.
    package let path: String
    let handle: UnsafeMutableRawPointer

    private init(path: String, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.handle = handle
    }

    /// Where the library's symbols become visible.
    package enum SymbolScope: Sendable {
        /// `RTLD_GLOBAL`: later libraries resolve against it (cuBLAS needs its cublasLt).
        case global
        /// `RTLD_LOCAL`: only lookups through this handle see it.
        case local
    }

    /// Opens `path`, a file path or a soname searched by the dynamic loader, binding every
    /// symbol now (`RTLD_NOW`) so a broken library fails here, not at its first call.
    /// - Returns: the library, or why the loader refused it.
    package static func open(_ path: String, scope: SymbolScope = .local) -> Result<DynamicLibrary, LoadFailure> {
        // dlerror reports the last error of this thread; clear a stale one first.
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | (scope == .global ? RTLD_GLOBAL : RTLD_LOCAL)) else {
            return .failure(LoadFailure(path: path, loaderMessage: DynamicLibrary.lastError() ?? "dlopen failed"))
        }
        return .success(DynamicLibrary(path: path, handle: handle))
    }

    /// The address of `symbol`, or nil when the library does not export it.
    package func address(of symbol: String) -> UnsafeMutableRawPointer? {
        dlsym(handle, symbol)
    }

    /// `symbol` cast to the C function type `T`, or nil when the library does not export it.
    package func symbol<T>(_ symbol: String, as type: T.Type = T.self) -> T? {
        address(of: symbol).map { unsafeBitCast($0, to: T.self) }
    }

    /// The dynamic loader's message for the last failure on this thread, if any (`dlerror`).
    package static func lastError() -> String? {
        dlerror().map { String(cString: $0) }
    }

    /// The real file behind the handle: `path` itself when it names a folder, else the
    /// mapping of the soname found in `/proc/self/maps` (Linux), else `path`.
    package var resolvedPath: String {
        if path.contains("/") { return path }
        // Read to the end: String(contentsOfFile:) stops after the first 4 KiB of a /proc file
        // (its size reads as 0), which hid every library mapped after the first few.
        guard let file = FileHandle(forReadingAtPath: "/proc/self/maps"),
              let bytes = try? file.readToEnd() else { return path }
        let maps = String(decoding: bytes, as: UTF8.self)
        // "libnvrtc.so.13" -> "libnvrtc.so": the mapped file may carry a longer version suffix.
        let stem = path.range(of: ".so").map { String(path[..<$0.upperBound]) } ?? path
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let file = String(line[slash...])
            if (file.split(separator: "/").last ?? "").hasPrefix(stem) { return file }
        }
        return path
    }
}
