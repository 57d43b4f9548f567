@testable import CUDA

/// A file system made of a set of file paths; folders exist where some file lies under them.
func fakeFileSystem(_ files: [String]) -> FileSystemProbe {
    let fileSet = Set(files)
    return FileSystemProbe(
        fileExists: { path in
            fileSet.contains(path) || fileSet.contains { $0.hasPrefix(path.hasSuffix("/") ? path : path + "/") }
        },
        listDirectory: { folder in
            let prefix = folder.hasSuffix("/") ? folder : folder + "/"
            let children = fileSet.filter { $0.hasPrefix(prefix) }
                .compactMap { $0.dropFirst(prefix.count).split(separator: "/").first.map(String.init) }
            return Array(Set(children)).sorted()
        })
}
