import Foundation
import SparseIO

/// Checks an output path before any work: it must not be the file being read (which is
/// memory-mapped while it is read), and its folder must exist.
package func checkOutput(_ output: String, input: String) throws {
    let a = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path
    let out = URL(fileURLWithPath: output).standardizedFileURL
    if a == out.resolvingSymlinksInPath().path { throw FileCommandError(output, "is the input file; write to another path") }
    var isFolder: ObjCBool = false
    let folder = out.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw FileCommandError(output, "cannot write: the folder \(folder) does not exist")
    }
}
