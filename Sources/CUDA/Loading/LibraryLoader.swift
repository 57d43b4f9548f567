import Foundation
import SystemLibraries

/// A library found (or not) along the search path.
package struct LibraryLoad: Sendable {
    /// The opened library, when one of the candidates loaded.
    package let library: DynamicLibrary?
    /// Every candidate tried, with the loader's message for each failure.
    package let attempts: [(candidate: LibraryCandidate, error: String?)]

    /// One line: the places tried and the last loader message.
    package var failureReason: String {
        let tried = attempts.map(\.candidate.path).joined(separator: ", ")
        let last = attempts.last?.error ?? "no candidates"
        return "not found (tried \(tried)); last error: \(last)"
    }
}

/// Loads libraries along ``LibrarySearch`` using the real environment and file system.
package enum LibraryLoader {
    /// The process environment.
    package static var processEnvironment: [String: String] { ProcessInfo.processInfo.environment }

    /// The real file system, for ``LibrarySearch``.
    package static let realFileSystem = FileSystemProbe(
        fileExists: { FileManager.default.fileExists(atPath: $0) },
        listDirectory: { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] })

    /// Site-packages folders of this machine.
    package static func sitePackages(environment: [String: String] = processEnvironment) -> [String] {
        PythonSitePackages.folders(environment: environment, fileSystem: realFileSystem)
    }

    /// Tries each candidate for `library` in order; companions (cublasLt for cuBLAS,
    /// nvJitLink for cuSPARSE) found in the same folder are opened first.
    package static func load(
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
            switch DynamicLibrary.open(candidate.path, scope: .global) {
            case .success(let opened):
                attempts.append((candidate, nil))
                return LibraryLoad(library: opened, attempts: attempts)
            case .failure(let failure):
                attempts.append((candidate, failure.loaderMessage))
            }
        }
        return LibraryLoad(library: nil, attempts: attempts)
    }

    private static func preloadCompanions(of library: CUDALibrary, folder: String) {
        for companion in library.companions {
            for name in companion.sonames where realFileSystem.fileExists(folder + "/" + name) {
                // Failure here surfaces later as the main library's own dlopen error.
                _ = DynamicLibrary.open(folder + "/" + name, scope: .global)
                break
            }
        }
    }
}
