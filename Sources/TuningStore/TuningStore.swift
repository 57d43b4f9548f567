// The TuningStore module; see ../shared/docs/architecture.md.
//
// The tuning database: every trial a search measures, in SQLite through GRDB (WAL mode), keyed
// per config and per measurement context, so a rerun resumes, a new config re-tunes nothing else,
// and best configs are queries. Tuner never imports this module; its `TrialSink` is the seam.
import Foundation
import GRDB

/// An open tuning database: one SQLite file in WAL mode, shared safely by threads and processes.
///
/// Open it with ``init(path:environment:)``; a corrupt file is moved aside and rebuilt, and
/// ``warning`` says so.
package struct TuningStore: Sendable {
    /// The database file.
    package let path: String
    /// One line naming the corrupt file and where it was moved, when opening had to rebuild it.
    package let warning: String?
    /// The connection pool (one writer, concurrent readers).
    let pool: DatabasePool

    /// Opens (creating if needed) the database at `path`, or at ``defaultPath(environment:)``
    /// when `path` is nil; migrates it to the current schema.
    ///
    /// Throws ``TuningStoreError/newerSchema(path:unknownMigrations:)`` for a file written by a
    /// newer Sparrow (left untouched), and SQLite's errors for anything that is not corruption
    /// (a locked or unreadable file).
    package init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let path = try path ?? Self.defaultPath(environment: environment)
        try Self.createParentDirectory(of: path)
        let (pool, warning) = try Self.openRecovering(path)
        try Self.migrate(pool, path: path)
        self.path = path
        self.warning = warning
        self.pool = pool
    }

    /// Closes the connections; later calls on this store throw.
    package func close() throws {
        try pool.close()
    }
}
