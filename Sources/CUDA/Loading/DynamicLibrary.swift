#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A shared library opened with `dlopen`, kept open for the life of the process.
///
/// Symbols are looked up by name and cast to `@convention(c)` Swift function types that
/// mirror the C declarations exactly (see the `*API.swift` files).
public final class DynamicLibrary: @unchecked Sendable {
    // @unchecked: the handle is immutable after init and dlsym is thread-safe.
    /// The path (or soname) that was opened.
    public let path: String
    let handle: UnsafeMutableRawPointer

    private init(path: String, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.handle = handle
    }

    /// Opens `path` (RTLD_NOW | RTLD_GLOBAL, so companions such as cublasLt resolve).
    /// - Returns: the library, or the dynamic loader's message.
    static func open(_ path: String) -> Result<DynamicLibrary, DlopenFailure> {
        _ = dlerror()
        guard let handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL) else {
            let message = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            return .failure(DlopenFailure(path: path, message: message))
        }
        return .success(DynamicLibrary(path: path, handle: handle))
    }

    /// The address of `name`, or nil.
    func address(of name: String) -> UnsafeMutableRawPointer? {
        dlsym(handle, name)
    }

    /// `name` cast to the C function type `T`.
    /// - Throws: ``CUDAError/symbolMissing(library:symbol:)`` when the library lacks it.
    func function<T>(_ name: String, as type: T.Type = T.self) throws(CUDAError) -> T {
        guard let pointer = address(of: name) else {
            throw .symbolMissing(library: path, symbol: name)
        }
        return unsafeBitCast(pointer, to: T.self)
    }

    /// `name` cast to `T`, or nil when absent (for entry points newer than the oldest
    /// supported library, such as `cuEventElapsedTime_v2`).
    func optionalFunction<T>(_ name: String, as type: T.Type = T.self) -> T? {
        address(of: name).map { unsafeBitCast($0, to: T.self) }
    }

    /// The real file behind the handle: `path` itself when it names a folder, else the
    /// mapping of the soname found in `/proc/self/maps` (Linux), else `path`.
    var resolvedPath: String {
        if path.contains("/") { return path }
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return path }
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

/// Why one `dlopen` failed.
struct DlopenFailure: Error, Sendable {
    var path: String
    var message: String
}

/// A library found (or not) along the search path.
public struct LibraryLoad: Sendable {
    /// The opened library, when one of the candidates loaded.
    public let library: DynamicLibrary?
    /// Every candidate tried, with the loader's message for each failure.
    public let attempts: [(candidate: LibraryCandidate, error: String?)]

    /// One line: the places tried and the last loader message.
    public var failureReason: String {
        let tried = attempts.map(\.candidate.path).joined(separator: ", ")
        let last = attempts.last?.error ?? "no candidates"
        return "not found (tried \(tried)); last error: \(last)"
    }
}

/// Loads libraries along ``LibrarySearch`` using the real environment and file system.
public enum LibraryLoader {
    /// The process environment.
    public static var processEnvironment: [String: String] { ProcessInfo.processInfo.environment }

    /// The real file system, for ``LibrarySearch``.
    public static let realFileSystem = FileSystemProbe(
        fileExists: { FileManager.default.fileExists(atPath: $0) },
        listDirectory: { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] })

    /// Site-packages folders of this machine.
    public static func sitePackages(environment: [String: String] = processEnvironment) -> [String] {
        PythonSitePackages.folders(environment: environment, fileSystem: realFileSystem)
    }

    /// Tries each candidate for `library` in order; companions (cublasLt for cuBLAS,
    /// nvJitLink for cuSPARSE) found in the same folder are opened first.
    public static func load(
        _ library: CUDALibrary,
        environment: [String: String] = processEnvironment
    ) -> LibraryLoad {
        let candidates = LibrarySearch.candidates(
            for: library, environment: environment, fileSystem: realFileSystem,
            sitePackages: sitePackages(environment: environment))
        var attempts: [(LibraryCandidate, String?)] = []
        for candidate in candidates {
            if candidate.path.contains("/") {
                preloadCompanions(of: library, folder: LibrarySearch.parent(candidate.path))
            }
            switch DynamicLibrary.open(candidate.path) {
            case .success(let opened):
                attempts.append((candidate, nil))
                return LibraryLoad(library: opened, attempts: attempts)
            case .failure(let failure):
                attempts.append((candidate, failure.message))
            }
        }
        return LibraryLoad(library: nil, attempts: attempts)
    }

    private static func preloadCompanions(of library: CUDALibrary, folder: String) {
        for companion in library.companions {
            for name in companion.sonames where realFileSystem.fileExists(folder + "/" + name) {
                // Failure here surfaces later as the main library's own dlopen error.
                _ = DynamicLibrary.open(folder + "/" + name)
                break
            }
        }
    }
}
