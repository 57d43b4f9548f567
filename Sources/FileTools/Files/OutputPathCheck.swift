import Foundation
import SparseIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks an output path before any work: it must not be the file being read (which is
/// memory-mapped while it is read) nor a folder, and its folder must exist and be writable.
package func checkOutput(_ output: String, input: String) throws {
    let a = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path
    let out = URL(fileURLWithPath: output).standardizedFileURL
    if a == out.resolvingSymlinksInPath().path { throw FileCommandError(output, "is the input file; write to another path") }
    if PathKind(output) == .folder {
        throw FileCommandError(output, "is a directory; give a file path such as \((output as NSString).appendingPathComponent("out.npz"))")
    }
    if let problem = folderProblem(out.deletingLastPathComponent().path) { throw FileCommandError(output, "cannot write: \(problem)") }
}

/// Why files cannot be created in `folder`, or nil when they can (as far as a check can tell).
package func folderProblem(_ folder: String) -> String? {
    switch PathKind(folder) {
    case .missing: return "no such folder \(folder)"
    case .file: return "\(folder) is a file, not a folder"
    case .folder:
        // access(2) answers for the real user; it is the check `open` will make.
        return access(folder, W_OK) == 0 ? nil : "permission denied for the folder \(folder)"
    }
}

/// Writes `content` like ``SparseFile/write(_:to:tensorName:)``, but a failed write is reported
/// as one line naming the path and the reason (no such folder, permission denied, is a
/// directory) instead of the system's error object.
package func writeFile(_ content: LoadedFile, to path: String, tensorName: String = "weight") throws {
    do {
        try SparseFile.write(content, to: path, tensorName: tensorName)
    } catch {
        guard error.kind == .cannotWrite else { throw error }
        // The path may have changed since `checkOutput`; name what is wrong now if a check can tell.
        if PathKind(path) == .folder { throw FileCommandError(path, "cannot write: is a directory") }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        if let problem = folderProblem(folder) { throw FileCommandError(path, "cannot write: \(problem)") }
        throw error
    }
}
