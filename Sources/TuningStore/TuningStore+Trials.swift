import GRDB
import Tuner

extension TuningStore {
    /// Stores `row` in its own transaction, replacing the row of the same key.
    package func record(_ row: StoredTrial) throws {
        try pool.write { db in try row.insert(db, onConflict: .replace) }
    }

    /// The stored row of config `configID` in `phase` on `problem` in `context`, if any.
    package func stored(
        _ configID: String, phase: TrialPhase, for problem: ProblemKey, in context: TuningContext
    ) throws -> StoredTrial? {
        try pool.read { db in
            try Self.matching(problem, context)
                .filter(Column("phase") == phase.rawValue && Column("config") == configID)
                .fetchOne(db)
        }
    }

    /// Every row of `problem` in `context`, fastest correct first, then the failures by config.
    package func trials(for problem: ProblemKey, in context: TuningContext) throws -> [StoredTrial] {
        try pool.read { db in
            try Self.matching(problem, context)
                .order(Column("real_seconds").ascNullsLast, Column("phase"), Column("config"))
                .fetchAll(db)
        }
    }

    /// Every row, in key order.
    package func allTrials() throws -> [StoredTrial] {
        try pool.read { db in try StoredTrial.order(TuningSchema.keyColumns.map { Column($0) }).fetchAll(db) }
    }

    /// The rows of `problem` in `context`.
    static func matching(_ problem: ProblemKey, _ context: TuningContext) -> QueryInterfaceRequest<StoredTrial> {
        let columns = TuningSchema.problemColumns + TuningSchema.contextColumns
        let values = problem.databaseValues + context.databaseValues
        return zip(columns, values).reduce(StoredTrial.all()) { request, pair in
            request.filter(Column(pair.0) == pair.1)
        }
    }
}

extension ProblemKey {
    /// The values of ``TuningSchema/problemColumns``, in order.
    var databaseValues: [DatabaseValue] {
        [
            op.databaseValue, patternDigest.databaseValue, matrixRows.databaseValue, matrixColumns.databaseValue,
            nnz.databaseValue, width.databaseValue, elementType.databaseValue, accumulator.databaseValue,
            variant.databaseValue,
        ]
    }
}

extension TuningContext {
    /// The values of ``TuningSchema/contextColumns``, in order.
    var databaseValues: [DatabaseValue] {
        [
            deviceName.databaseValue, computeCapability.databaseValue, driverVersion.databaseValue,
            nvrtcVersion.databaseValue, generatorVersion.databaseValue,
        ]
    }
}
