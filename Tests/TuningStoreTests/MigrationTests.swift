import Foundation
import GRDB
import KernelGen
import Testing
import Tuner
@testable import TuningStore

@Suite struct MigrationTests {
    @Test func aNewStoreHasEveryKnownMigrationAndTheDetailColumns() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        #expect(TuningSchema.migrator.migrations == ["v1", "v2", "v3"])
        let (applied, columns, indexes, journal) = try store.pool.read { db in
            (
                try TuningSchema.migrator.appliedMigrations(db), try db.columns(in: "trial").map(\.name),
                try db.indexes(on: "trial"), try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(applied == ["v1", "v2", "v3"])
        // Released migrations never change: this pins v1's table and v2's and v3's added columns.
        #expect(columns == TuningSchema.problemColumns + TuningSchema.contextColumns + [
            "family", "config", "phase", "proxy_seconds", "real_seconds", "sample_seconds", "compile_seconds",
            "status", "status_detail", "relative_error", "origin", "recorded_at",
        ] + TuningSchema.detailColumns)
        let key = try #require(indexes.first { $0.name == "trial_key" })
        #expect(key.isUnique)
        #expect(key.columns == TuningSchema.keyColumns)
        #expect(Set(indexes.map(\.name)) == ["trial_key", "trial_family_status", "trial_context"])
        #expect(journal == "wal")
    }

    /// The migrator a later Sparrow would have: today's and a v4 that adds a table and a column.
    static var laterMigrator: DatabaseMigrator {
        var migrator = TuningSchema.migrator
        migrator.registerMigration("v4-later") { db in
            try db.execute(sql: "CREATE TABLE pattern_stats (pattern_digest TEXT PRIMARY KEY, row_length_cv REAL)")
            try db.execute(sql: "ALTER TABLE trial ADD COLUMN note TEXT")
        }
        return migrator
    }

    @Test func aLaterMigrationUpgradesTodaysFileAndKeepsItsTrials() throws {
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
        #expect(applied == ["v1", "v2", "v3", "v4-later"])
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
        #expect(throws: TuningStoreError.newerSchema(path: path, unknownMigrations: ["v4-later"])) {
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
        #expect(applied == ["v1", "v2", "v3", "v4-later"])
        #expect(trials == 1)
        try pool.close()
    }

    /// A file as Sparrow wrote it before v2: the v1 table only, one trial.
    static func writeVersion1File(_ path: String, problem: SpMMProblem) throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: TuningSchema.createVersion1)
        let pool = try DatabasePool(path: path)
        try migrator.migrate(pool)
        let key = SpMMTrialKeying().problemKey(problem)
        try pool.write { db in
            let columns = TuningSchema.problemColumns + TuningSchema.contextColumns + [
                "family", "config", "phase", "real_seconds", "sample_seconds", "status", "origin", "recorded_at",
            ]
            let values: [(any DatabaseValueConvertible)?] = [
                key.op, key.patternDigest, key.matrixRows, key.matrixColumns, key.nnz, key.width, key.elementType,
                key.accumulator, key.variant, h200.deviceName, h200.computeCapability, h200.driverVersion,
                h200.nvrtcVersion, h200.generatorVersion, "tiled", tiled(32).description, "full", 1e-5, "[1e-05]", "ok",
                "shortlist", "2026-11-29T10:00:00.000Z",
            ]
            try db.execute(
                sql: "INSERT INTO trial (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                arguments: StatementArguments(values))
        }
        try pool.close()
    }

    @Test func aV1FileIsMigratedAndItsTrialsReadWithUnknownDetails() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("v1.sqlite")
        let problem = try makeProblem()
        try Self.writeVersion1File(path, problem: problem)

        let store = try TuningStore(path: path)
        #expect(store.warning == nil)
        let applied = try store.pool.read { db in try TuningSchema.migrator.appliedMigrations(db) }
        #expect(applied == ["v1", "v2", "v3"])
        let rows = try store.allTrials()
        #expect(rows.count == 1)
        #expect(rows.first?.details == ProblemDetails())
        #expect(rows.first.map { $0.details.pattern(of: $0.problem) } == .some(nil))
        let sink = SpMMTuningStoreSink(store: store, context: h200)
        #expect(sink.recall(tiled(32), for: problem)?.seconds == 1e-5)

        // A new trial of the same matrix records its details beside the old row.
        let pattern = PatternStatistics(
            rows: problem.n, columns: problem.k, nnz: problem.nnz, maxRowLength: problem.maxRowLength,
            rowLengthStd: 3.5, emptyRows: 2, columnLengthStd: 7.25)
        let described = SpMMTuningStoreSink(store: store, context: h200, source: "dlmc/rn50/0.9/a.smtx", pattern: pattern)
        try described.record(okTrial(tiled(64), 2e-5), for: problem)
        let stored = try #require(try store.stored(tiled(64).description, phase: .full, for: SpMMTrialKeying().problemKey(problem), in: h200))
        #expect(stored.details.source == "dlmc/rn50/0.9/a.smtx")
        #expect(stored.details.pattern(of: stored.problem) == pattern)
    }

    /// Schema v3: a described problem's fullest 16 x 16 block is recorded and rebuilt; a row
    /// without it rebuilds with the worst case.
    @Test func theFullestBlockIsRecordedAndTheProblemRebuiltWithIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let base = try makeProblem(type: .f16)
        let problem = try SpMMProblem(
            n: base.n, k: base.k, m: base.m, nnz: base.nnz, patternDigest: base.patternDigest, maxRowLength: base.maxRowLength,
            elementType: .f16, maxBlockEntries: 40, device: .sm90)
        let pattern = PatternStatistics(
            rows: problem.n, columns: problem.k, nnz: problem.nnz, maxRowLength: problem.maxRowLength,
            rowLengthStd: 3.5, emptyRows: 0, columnLengthStd: 7.25)
        try SpMMTuningStoreSink(store: store, context: h200, pattern: pattern).record(okTrial(tiled(32), 1e-5), for: problem)
        let key = SpMMTrialKeying().problemKey(problem)
        let row = try #require(try store.stored(tiled(32).description, phase: .full, for: key, in: h200))
        #expect(row.details.maxBlockEntries == 40)
        let (rebuilt, statistics) = try SpMMTrialKeying().problem(of: row)
        #expect(rebuilt == problem && rebuilt.maxBlockEntries == 40 && statistics == pattern)

        // Without statistics nothing is recorded, and the rebuilt problem takes the worst case.
        try SpMMTuningStoreSink(store: store, context: h200).record(okTrial(tiled(64), 2e-5), for: try makeProblem(m: 16))
        var bare = try #require(try store.stored(tiled(64).description, phase: .full, for: SpMMTrialKeying().problemKey(try makeProblem(m: 16)), in: h200))
        #expect(bare.details.maxBlockEntries == nil)
        bare.details = ProblemDetails(source: nil, pattern: pattern)
        #expect(try SpMMTrialKeying().problem(of: bare).0.maxBlockEntries == 256)
        // One that the shape makes impossible names the row.
        bare.details.maxBlockEntries = 3
        #expect(throws: TuningStoreError.self) { try SpMMTrialKeying().problem(of: bare) }
    }

    @Test func statisticsOfAnotherShapeAreNotRecorded() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let problem = try makeProblem()
        let other = PatternStatistics(
            rows: problem.n + 1, columns: problem.k, nnz: problem.nnz, maxRowLength: problem.maxRowLength,
            rowLengthStd: 1, emptyRows: 0, columnLengthStd: 1)
        try SpMMTuningStoreSink(store: store, context: h200, source: "x", pattern: other).record(okTrial(tiled(32), 1e-5), for: problem)
        #expect(try store.allTrials().first?.details == ProblemDetails())
    }
}
