import Foundation
import SparseIO

/// A failure the CLI itself detects, already phrased as `<file or option>: <defect>`.
///
/// ``CommandFailure`` prefixes `sparrow: `, so the user sees one line that names
/// the file (or the option) and what is wrong with it.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    /// A defect of a file (or of the request to write it).
    init(_ path: String, _ message: String) { description = "\(path): \(message)" }

    /// A defect of an option's value, e.g. `--block: ...`.
    init(option: String, _ message: String) { description = "\(option): \(message)" }
}

/// Runs `body`, making sure whatever it throws names `path`: file errors
/// (``SparseIOError``) and ``CommandError`` already do; anything else is prefixed.
func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as SparseIOError {
        throw error
    } catch let error as CommandError {
        throw error
    } catch {
        throw CommandError(path, String(describing: error))
    }
}

/// Checks an output path before any work: it must not be the file being read (which is
/// memory-mapped while it is read), and its folder must exist.
func checkOutput(_ output: String, input: String) throws {
    let a = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath().path
    let out = URL(fileURLWithPath: output).standardizedFileURL
    if a == out.resolvingSymlinksInPath().path { throw CommandError(output, "is the input file; write to another path") }
    var isFolder: ObjCBool = false
    let folder = out.deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
        throw CommandError(output, "cannot write: the folder \(folder) does not exist")
    }
}
