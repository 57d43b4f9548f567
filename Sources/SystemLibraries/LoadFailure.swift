/// Why one `dlopen` failed.
package struct LoadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path or soname that was tried.
    package var path: String
    /// The dynamic loader's text as `dlerror` gave it; glibc starts it with `path` again.
    package var loaderMessage: String

    package init(path: String, loaderMessage: String) {
        self.path = path
        self.loaderMessage = loaderMessage
    }

    /// The loader's text without the leading library name it repeats
    /// (`cannot open shared object file: No such file or directory`). A message that names
    /// another file (a missing dependency such as `libgfortran.so.5`) keeps that name.
    package var reason: String {
        let prefix = path + ": "
        return loaderMessage.hasPrefix(prefix) ? String(loaderMessage.dropFirst(prefix.count)) : loaderMessage
    }

    /// `path: reason`, naming the library once.
    package var description: String { "\(path): \(reason)" }
}
