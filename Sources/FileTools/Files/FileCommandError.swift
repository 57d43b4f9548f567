import Foundation
import SparseIO

/// A failure a command detects in a request or file (not SparseIO's own checks), already phrased as `<file or option>: <defect>`.
///
/// ``CommandFailure`` prefixes `sparrow: `, so the user sees one line that names
/// the file (or the option) and what is wrong with it.
package struct FileCommandError: Error, CustomStringConvertible {
    package var description: String

    /// A defect of a file (or of the request to write it).
    package init(_ path: String, _ message: String) { description = "\(path): \(message)" }

    /// A defect of an option's value, e.g. `--block: ...`.
    package init(option: String, _ message: String) { description = "\(option): \(message)" }

    /// A rule an option's value breaks, already a sentence that names the option, e.g.
    /// `--min-sparsity must be in [0, 1], got -1.0`.
    package init(rule: String) { description = rule }
}

/// Runs `body`, making sure whatever it throws names `path`: file errors
/// (``SparseIOError``) and ``FileCommandError`` already do; anything else is prefixed.
package func naming<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as SparseIOError {
        throw error
    } catch let error as FileCommandError {
        throw error
    } catch {
        throw FileCommandError(path, String(describing: error))
    }
}
