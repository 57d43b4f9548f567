import SparseIO

/// Reads `path` like ``SparseFile/read(_:options:)``, but a folder given as input is named as
/// one (the extension check would otherwise call it an unknown extension).
package func readFile(_ path: String, options: SparseFile.ReadOptions = SparseFile.ReadOptions()) throws -> LoadedFile {
    if PathKind(path) == .folder {
        throw FileCommandError(path, "is a directory; expected a .npy, .npz, .safetensors, .mtx or .smtx file")
    }
    return try SparseFile.read(path, options: options)
}
