import Foundation
import GRDB
import Testing
import Tuner
@testable import TuningStore

@Suite struct MigrationTests {
    @Test func aNewStoreHasEveryKnownMigrationAndTheV1Columns() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        #expect(TuningSchema.migrator.migrations == ["v1"])
        let (applied, columns, indexes, journal) = try store.pool.read { db in
            (
                try TuningSchema.migrator.appliedMigrations(db), try db.columns(in: "trial").map(\.name),
                try db.indexes(on: "trial"), try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(applied == ["v1"])
        // Released migrations never change: this pins v1's table.
        #expect(columns == TuningSchema.problemColumns + TuningSchema.contextColumns + [
            "family", "config", "phase", "proxy_seconds", "real_seconds", "sample_seconds", "compile_seconds",
            "status", "status_detail", "relative_error", "origin", "recorded_at",
        ])
        let key = try #require(indexes.first { $0.name == "trial_key" })
        #expect(key.isUnique)
        #expect(key.columns == TuningSchema.keyColumns)
        #expect(Set(indexes.map(\.name)) == ["trial_key", "trial_family_status", "trial_context"])
        #expect(journal == "wal")
    }

    /// The migrator a later Sparrow would have: v1 and a v2 that adds pattern statistics.
    static var laterMigrator: DatabaseMigrator {
        var migrator = TuningSchema.migrator
        migrator.registerMigration("v2-pattern-stats") { db in
            try db.execute(sql: "CREATE TABLE pattern_stats (pattern_digest TEXT PRIMARY KEY, row_length_cv REAL)")
            try db.execute(sql: "ALTER TABLE trial ADD COLUMN note TEXT")
        }
        return migrator
    }

    @Test func aV2MigrationUpgradesAV1FileAndKeepsItsTrials() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("t.sqlite")
        let problem = try makeProblem()
        do {
            let store = try TuningStore(path: path)
            try SpMMTuningStoreSink(store: store, context: h200).record(okTrial(tiled(32), 1e-5), for: problem)
            try store.close()
        }
        let pool = try DatabasePool(path: path)
        try Self.laterMigrator.migrate(pool)
        let (applied, hasStatistics, trials) = try pool.read { db in
            (try Self.laterMigrator.appliedMigrations(db), try db.tableExists("pattern_stats"), try StoredTrial.fetchAll(db))
        }
        #expect(applied == ["v1", "v2-pattern-stats"])
        #expect(hasStatistics)
        #expect(try trials.map { try $0.trial(tiled(32)) } == [okTrial(tiled(32), 1e-5)])
        try pool.close()
    }

    @Test func aFileOfANewerSchemaIsRefusedAndKeptIntact() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("t.sqlite")
        do {
            let store = try TuningStore(path: path)
            try SpMMTuningStoreSink(store: store, context: h200).record(okTrial(tiled(32), 1e-5), for: try makeProblem())
            try store.close()
            let pool = try DatabasePool(path: path)
            try Self.laterMigrator.migrate(pool)
            try pool.close()
        }
        #expect(throws: TuningStoreError.newerSchema(path: path, unknownMigrations: ["v2-pattern-stats"])) {
            try TuningStore(path: path)
        }
        // Not treated as corruption: nothing moved aside, the later schema and the trials are
        // still there. (The bytes may differ: opening a pool in WAL mode writes an empty
        // transaction, GRDB's guard for its issue 102.)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.contains("corrupt") })
        let pool = try DatabasePool(path: path)
        let (applied, trials) = try pool.read { db in
            (try Self.laterMigrator.appliedMigrations(db), try StoredTrial.fetchCount(db))
        }
        #expect(applied == ["v1", "v2-pattern-stats"])
        #expect(trials == 1)
        try pool.close()
    }
}
