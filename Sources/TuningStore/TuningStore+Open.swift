import Foundation
import GRDB

extension TuningStore {
    /// How long a connection waits for another writer (thread or process) before failing: a
    /// trial's write takes milliseconds, so this only matters when something hangs.
    static let busyTimeout: TimeInterval = 30

    /// A pool on `path` in WAL mode that waits for other writers instead of failing at once.
    /// Opening is retried while it fails with SQLITE_BUSY, up to ``busyTimeout``: two stores opening
    /// one new file at once were seen once to fail with "database is locked" while executing `PRAGMA
    /// journal_mode = WAL` (ConcurrencyTests under `--no-parallel`, 2026-12-02; not reproduced in six
    /// reruns, and why the busy timeout did not wait there was not established).
    static func makePool(_ path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "sparrow.tuning"
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// Opens `path`; if it is not a database or fails `PRAGMA quick_check`, moves it (and its
    /// WAL) aside and opens a fresh one, returning a one-line warning naming both paths.
    static func openRecovering(_ path: String) throws -> (DatabasePool, warning: String?) {
        let reason: String
        do {
            let pool = try makePool(path)
            do {
                if let problem = try integrityProblem(pool) {
                    try? pool.close()
                    reason = problem
                } else {
                    return (pool, nil)
                }
            } catch {
                try? pool.close()
                throw error
            }
        } catch let error as DatabaseError where isCorruption(error) {
            reason = error.message ?? "\(error.resultCode)"
        }
        let aside = try moveAside(path)
        let pool = try makePool(path)
        let warning =
            "warning: tuning database \(path) was corrupt (\(reason)); moved it to \(aside) and started an empty one"
        return (pool, warning)
    }

    /// What `PRAGMA quick_check` reports, or nil when it says `ok`. Reading the schema also
    /// surfaces a file that is not a database (SQLite reads the header lazily).
    static func integrityProblem(_ pool: DatabasePool) throws -> String? {
        let lines = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        return lines == ["ok"] ? nil : lines.prefix(3).joined(separator: "; ")
    }

    /// Whether `error` says the file's content is broken (as opposed to locked or unreadable,
    /// which must not cost the user their trials).
    static func isCorruption(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
    }

    /// Moves `path` to `path.corrupt-<UTC time>` (its `-wal` beside it, `-shm` removed: it is
    /// only an index of the WAL) and returns the new path.
    static func moveAside(_ path: String) throws -> String {
        let files = FileManager.default
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        var aside = "\(path).corrupt-\(stamp)"
        var attempt = 1
        // Two recoveries in one second must not overwrite the first file kept aside.
        while files.fileExists(atPath: aside) {
            attempt += 1
            aside = "\(path).corrupt-\(stamp)-\(attempt)"
        }
        try files.moveItem(atPath: path, toPath: aside)
        if files.fileExists(atPath: path + "-wal") {
            try files.moveItem(atPath: path + "-wal", toPath: aside + "-wal")
        }
        if files.fileExists(atPath: path + "-shm") {
            try files.removeItem(atPath: path + "-shm")
        }
        return aside
    }

    /// Refuses a file of a newer schema, then applies the migrations it lacks.
    static func migrate(_ pool: DatabasePool, path: String) throws {
        let migrator = TuningSchema.migrator
        try refuseNewerSchema(pool, path: path, migrator: migrator)
        do {
            try migrator.migrate(pool)
        } catch {
            // GRDB reads the applied migrations before its write transaction, so another process
            // that migrated the same new file in between makes ours fail on "table exists":
            // that is success.
            try refuseNewerSchema(pool, path: path, migrator: migrator)
            guard try pool.read(migrator.hasCompletedMigrations) else { throw error }
        }
    }

    /// Throws ``TuningStoreError/newerSchema(path:unknownMigrations:)`` when the file holds
    /// migrations that `migrator` does not know.
    static func refuseNewerSchema(_ pool: DatabasePool, path: String, migrator: DatabaseMigrator) throws {
        let applied = try pool.read { db in
            try db.tableExists("grdb_migrations") ? try migrator.appliedIdentifiers(db) : []
        }
        let unknown = applied.subtracting(migrator.migrations).sorted()
        if !unknown.isEmpty {
            throw TuningStoreError.newerSchema(path: path, unknownMigrations: unknown)
        }
    }
}
