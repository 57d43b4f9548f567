/// Why one `dlopen` failed.
public struct LoadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path or soname that was tried.
    public var path: String
    /// The dynamic loader's text as `dlerror` gave it; glibc starts it with `path` again.
    public var loaderMessage: String

    public init(path: String, loaderMessage: String) {
        self.path = path
        self.loaderMessage = loaderMessage
    }

    /// The loader's text without the leading library name it repeats
    /// (`cannot open shared object file: No such file or directory`). A message that names
    /// another file (a missing dependency such as `libgfortran.so.5`) keeps that name.
    public var reason: String {
        let prefix = path + ": "
        return loaderMessage.hasPrefix(prefix) ? String(loaderMessage.dropFirst(prefix.count)) : loaderMessage
    }

    /// `path: reason`, naming the library once.
    public var description: String { "\(path): \(reason)" }
}
