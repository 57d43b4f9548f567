import GRDB
import Tuner

extension TuningStore {
    /// The fastest correct full-phase trial of `problem` in `context` (ties: the lowest config
    /// id, so the answer is stable), or nil when none is stored.
    package func best(for problem: ProblemKey, in context: TuningContext) throws -> StoredTrial? {
        try pool.read { db in
            try Self.matching(problem, context)
                .filter(Column("phase") == TrialPhase.full.rawValue && Column("status") == TrialStatus.Kind.ok.rawValue)
                .order(Column("real_seconds"), Column("config"))
                .fetchOne(db)
        }
    }

    /// Trials by family and status, optionally of one context, ordered by family then status.
    package func statusCounts(in context: TuningContext? = nil) throws -> [StatusCount] {
        try pool.read { db in
            var sql = "SELECT family, status, COUNT(*) FROM trial"
            var arguments = StatementArguments()
            if let context {
                sql += " WHERE " + TuningSchema.contextColumns.map { "\($0) = ?" }.joined(separator: " AND ")
                arguments = StatementArguments(context.databaseValues)
            }
            sql += " GROUP BY family, status ORDER BY family, status"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row throws(TuningStoreError) in
                let name: String = row[1]
                guard let status = TrialStatus.Kind(rawValue: name) else { throw .malformedRow("status '\(name)'") }
                return StatusCount(family: row[0], status: status, count: row[2])
            }
        }
    }

    /// What the database holds: trials, problems, and each measurement context.
    package func summary() throws -> TuningSummary {
        try pool.read { db in
            let problem = TuningSchema.problemColumns.joined(separator: ", ")
            let context = TuningSchema.contextColumns.joined(separator: ", ")
            let trials = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trial") ?? 0
            let problems =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT DISTINCT \(problem) FROM trial)") ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(context), COUNT(*) AS trials, SUM(status = 'ok') AS ok, COUNT(DISTINCT problem) AS problems,
                        MIN(recorded_at) AS first, MAX(recorded_at) AS last
                    FROM (SELECT *, \(TuningSchema.problemColumns.joined(separator: " || '/' || ")) AS problem FROM trial)
                    GROUP BY \(context) ORDER BY \(context)
                    """)
            let contexts = rows.map { row in
                TuningSummary.Context(
                    context: TuningContext(
                        deviceName: row["device_name"], computeCapability: row["compute_capability"],
                        driverVersion: row["driver_version"], nvrtcVersion: row["nvrtc_version"],
                        generatorVersion: row["generator_version"]),
                    trials: row["trials"], okTrials: row["ok"], problems: row["problems"], firstRecorded: row["first"],
                    lastRecorded: row["last"])
            }
            return TuningSummary(trials: trials, problems: problems, contexts: contexts)
        }
    }
}
