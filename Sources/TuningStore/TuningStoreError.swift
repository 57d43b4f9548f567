/// Why the tuning database could not do what was asked.
package enum TuningStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither `XDG_CACHE_HOME` nor `HOME` names a folder for the default database.
    case noCacheDirectory
    /// The file was written by a newer Sparrow: it holds migrations this one does not know.
    /// It is left untouched.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A stored row breaks the schema's rules (an `ok` trial without a time, an unknown status).
    case malformedRow(String)
    /// A stored config id that the op's parser rejects.
    case unparsableConfig(id: String, reason: String)
    /// An export file's line that is not a trial of this format.
    case malformedExport(path: String, line: Int, reason: String)
    /// The `gzip` process failed.
    case gzipFailed(path: String, status: Int32, message: String)

    package var description: String {
        switch self {
        case .noCacheDirectory:
            "no folder for the tuning database: set XDG_CACHE_HOME or HOME, or pass a path"
        case let .newerSchema(path, unknown):
            "\(path) was written by a newer Sparrow (unknown schema migrations \(unknown.joined(separator: ", "))); "
                + "left untouched: update Sparrow or pass another database path"
        case let .malformedRow(message):
            "malformed tuning database row: \(message)"
        case let .unparsableConfig(id, reason):
            "stored config id '\(id)' does not parse: \(reason)"
        case let .malformedExport(path, line, reason):
            "\(path):\(line): not a Sparrow trial export line: \(reason)"
        case let .gzipFailed(path, status, message):
            "gzip failed on \(path) (exit \(status)): \(message)"
        }
    }
}
