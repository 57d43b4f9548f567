/// The NVIDIA libraries Sparrow loads at run time, and where each may live.
///
/// Nothing here touches the file system directly: the search takes the environment, a
/// file-exists predicate and a directory lister as inputs, so the order is tested with a
/// fake file system (see `LibrarySearchTests`).
package enum CUDALibrary: String, Codable, Sendable, CaseIterable {
    case driver = "libcuda"
    case nvrtc = "libnvrtc"
    case cublas = "libcublas"
    case cublasLt = "libcublasLt"
    case cusparse = "libcusparse"
    case nvJitLink = "libnvJitLink"
    /// cuSPARSELt (2:4 sparse tensor cores), a baseline only: the PyPI wheels `nvidia-cusparselt-cu13`
    /// (`nvidia/cu13/lib`) and `-cu12` (`nvidia/cusparselt/lib`).
    case cusparseLt = "libcusparseLt"

    /// The environment variable that names this library's file (or its folder) explicitly.
    package var environmentVariable: String {
        switch self {
        case .driver: "SPARROW_LIBCUDA"
        case .nvrtc: "SPARROW_NVRTC"
        case .cublas: "SPARROW_CUBLAS"
        case .cublasLt: "SPARROW_CUBLASLT"
        case .cusparse: "SPARROW_CUSPARSE"
        case .nvJitLink: "SPARROW_NVJITLINK"
        case .cusparseLt: "SPARROW_CUSPARSELT"
        }
    }

    /// File names to try in each folder, newest major version first.
    /// (CUDA 13 still ships cuSPARSE as `libcusparse.so.12`.)
    package var sonames: [String] {
        switch self {
        case .driver: ["libcuda.so.1", "libcuda.so"]
        case .nvrtc: ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"]
        case .cublas: ["libcublas.so.13", "libcublas.so.12", "libcublas.so"]
        case .cublasLt: ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"]
        case .cusparse: ["libcusparse.so.13", "libcusparse.so.12", "libcusparse.so"]
        case .nvJitLink: ["libnvJitLink.so.13", "libnvJitLink.so.12", "libnvJitLink.so"]
        case .cusparseLt: ["libcusparseLt.so.0", "libcusparseLt.so"]
        }
    }

    /// The per-library folder of the older PyPI wheels (`nvidia-cuda-nvrtc-cu12` and friends),
    /// relative to site-packages. CUDA 13 wheels put everything in `nvidia/cu13/lib`.
    var legacyWheelFolder: String? {
        switch self {
        case .driver: nil
        case .nvrtc: "nvidia/cuda_nvrtc/lib"
        case .cublas, .cublasLt: "nvidia/cublas/lib"
        case .cusparse: "nvidia/cusparse/lib"
        case .nvJitLink: "nvidia/nvjitlink/lib"
        case .cusparseLt: "nvidia/cusparselt/lib"
        }
    }

    /// Libraries this one needs that may sit beside it, outside the loader's search path;
    /// they are loaded (globally) from the same folder first.
    var companions: [CUDALibrary] {
        switch self {
        case .cublas: [.cublasLt]
        case .cusparse: [.nvJitLink]
        default: []
        }
    }
}

/// A view of the file system, injected so that discovery is testable.
package struct FileSystemProbe: Sendable {
    /// Whether a file (or folder) exists at the path.
    package var fileExists: @Sendable (String) -> Bool
    /// The entry names of a folder; empty when it does not exist.
    package var listDirectory: @Sendable (String) -> [String]

    package init(
        fileExists: @escaping @Sendable (String) -> Bool,
        listDirectory: @escaping @Sendable (String) -> [String]
    ) {
        self.fileExists = fileExists
        self.listDirectory = listDirectory
    }
}

/// One place to try, and why it is on the list.
package struct LibraryCandidate: Hashable, Codable, Sendable {
    /// A full path, or a bare soname left to the dynamic loader's own search.
    package var path: String
    /// Where the candidate came from (`SPARROW_NVRTC`, `CUDA_HOME`, `site-packages`, `soname`).
    package var origin: String

    package init(path: String, origin: String) {
        self.path = path
        self.origin = origin
    }
}

/// The search order for run-time libraries and NVRTC headers.
package enum LibrarySearch {
    /// Candidate paths for `library`, in the order they are tried:
    /// 1. the explicit environment variable (a file, or a folder holding a soname);
    /// 2. `CUDA_HOME`, then `CUDA_PATH` (`lib64`, `lib`, `targets/x86_64-linux/lib`);
    /// 3. `/usr/local/cuda/lib64`;
    /// 4. `/usr/local/cuda-*/targets/x86_64-linux/lib`, newest version first;
    /// 5. PyPI wheels: `nvidia/cu13/lib`, `nvidia/cu12/lib`, then the per-library folder,
    ///    for each site-packages folder in the order given;
    /// 6. the bare sonames, for the dynamic loader (`LD_LIBRARY_PATH`, ld.so.cache).
    ///
    /// Paths in steps 2 to 5 are listed only where the file exists; the explicit variable is
    /// always listed so that a wrong setting is reported, not skipped.
    package static func candidates(
        for library: CUDALibrary,
        environment: [String: String],
        fileSystem: FileSystemProbe,
        sitePackages: [String]
    ) -> [LibraryCandidate] {
        var result: [LibraryCandidate] = []
        if let explicit = environment[library.environmentVariable], !explicit.isEmpty {
            // A value whose last component names no shared object is a folder.
            let lastComponent = explicit.split(separator: "/").last ?? ""
            if !lastComponent.contains(".so") {
                for name in library.sonames {
                    result.append(.init(path: join(explicit, name), origin: library.environmentVariable))
                }
            } else {
                result.append(.init(path: explicit, origin: library.environmentVariable))
            }
        }
        for folder in libraryFolders(for: library, environment: environment, fileSystem: fileSystem,
                                     sitePackages: sitePackages) {
            for name in library.sonames {
                let path = join(folder.path, name)
                if fileSystem.fileExists(path) {
                    result.append(.init(path: path, origin: folder.origin))
                }
            }
        }
        for name in library.sonames {
            result.append(.init(path: name, origin: "soname"))
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0.path).inserted }
    }

    /// Folders that may hold `library` (steps 2 to 5 of ``candidates(for:environment:fileSystem:sitePackages:)``),
    /// whether or not they exist.
    static func libraryFolders(
        for library: CUDALibrary,
        environment: [String: String],
        fileSystem: FileSystemProbe,
        sitePackages: [String]
    ) -> [LibraryCandidate] {
        var folders: [LibraryCandidate] = []
        for variable in ["CUDA_HOME", "CUDA_PATH"] {
            if let root = environment[variable], !root.isEmpty {
                for sub in ["lib64", "lib", "targets/x86_64-linux/lib"] {
                    folders.append(.init(path: join(root, sub), origin: variable))
                }
            }
        }
        folders.append(.init(path: "/usr/local/cuda/lib64", origin: "/usr/local/cuda"))
        for root in versionedToolkits(fileSystem: fileSystem) {
            folders.append(.init(path: join(root, "targets/x86_64-linux/lib"), origin: root))
        }
        for site in sitePackages {
            var subs = ["nvidia/cu13/lib", "nvidia/cu12/lib"]
            if let legacy = library.legacyWheelFolder { subs.append(legacy) }
            for sub in subs {
                folders.append(.init(path: join(site, sub), origin: "site-packages"))
            }
        }
        return folders
    }

    /// `/usr/local/cuda-X.Y` folders, newest version first (13.0 before 12.10 before 12.9).
    static func versionedToolkits(fileSystem: FileSystemProbe) -> [String] {
        let names = fileSystem.listDirectory("/usr/local").filter { $0.hasPrefix("cuda-") }
        let versioned = names.map { name in
            (name, name.dropFirst("cuda-".count).split(separator: ".").map { Int($0) ?? -1 })
        }
        return versioned
            .sorted { a, b in b.1.lexicographicallyPrecedes(a.1) }
            .map { "/usr/local/" + $0.0 }
    }

    /// Folders that may hold the NVRTC headers (`cuda_fp16.h`, `cuda_bf16.h`), in order:
    /// `include` beside the folder NVRTC was loaded from, `CUDA_HOME`/`CUDA_PATH` `include`,
    /// `/usr/local/cuda/include`, versioned toolkits, then the wheels' `nvidia/cu13/include`,
    /// `nvidia/cu12/include`, `nvidia/cuda_runtime/include`, `nvidia/cuda_nvrtc/include`.
    /// `SPARROW_CUDA_INCLUDE` comes first when set.
    package static func headerFolderCandidates(
        nvrtcPath: String?,
        environment: [String: String],
        fileSystem: FileSystemProbe,
        sitePackages: [String]
    ) -> [String] {
        var folders: [String] = []
        if let explicit = environment["SPARROW_CUDA_INCLUDE"], !explicit.isEmpty { folders.append(explicit) }
        if let nvrtcPath, nvrtcPath.contains("/") {
            let libFolder = parent(nvrtcPath)
            folders.append(join(parent(libFolder), "include"))
        }
        for variable in ["CUDA_HOME", "CUDA_PATH"] {
            if let root = environment[variable], !root.isEmpty {
                folders.append(join(root, "include"))
                folders.append(join(root, "targets/x86_64-linux/include"))
            }
        }
        folders.append("/usr/local/cuda/include")
        for root in versionedToolkits(fileSystem: fileSystem) {
            folders.append(join(root, "targets/x86_64-linux/include"))
        }
        for site in sitePackages {
            for sub in ["nvidia/cu13/include", "nvidia/cu12/include", "nvidia/cuda_runtime/include",
                        "nvidia/cuda_nvrtc/include"] {
                folders.append(join(site, sub))
            }
        }
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// The first candidate folder that holds `cuda_fp16.h`, or nil.
    package static func headerFolder(
        nvrtcPath: String?,
        environment: [String: String],
        fileSystem: FileSystemProbe,
        sitePackages: [String]
    ) -> String? {
        headerFolderCandidates(nvrtcPath: nvrtcPath, environment: environment, fileSystem: fileSystem,
                               sitePackages: sitePackages)
            .first { fileSystem.fileExists(join($0, "cuda_fp16.h")) }
    }

    static func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }

    static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
