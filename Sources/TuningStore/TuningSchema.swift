import GRDB

/// The database schema, as a list of migrations from the first version on.
///
/// A registered migration never changes once released: a change to the schema is a new
/// migration appended here, which ``TuningStore`` applies to older files when it opens them.
package enum TuningSchema {
    /// Every migration, oldest first.
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: createVersion1)
        migrator.registerMigration("v2", migrate: addProblemDetails)
        migrator.registerMigration("v3", migrate: addMaxBlockEntries)
        return migrator
    }

    /// The columns of the unique key of a trial, in index order: the problem, the measurement
    /// context, the phase and the config. Everything else is the measurement.
    package static let keyColumns = problemColumns + contextColumns + ["phase", "config"]

    /// The columns that name a problem (``ProblemKey``).
    package static let problemColumns = [
        "op", "pattern_digest", "matrix_rows", "matrix_columns", "nnz", "width", "element_type", "accumulator",
        "variant",
    ]

    /// The columns that name where and with what a trial was measured (``TuningContext``).
    package static let contextColumns = [
        "device_name", "compute_capability", "driver_version", "nvrtc_version", "generator_version",
    ]

    /// The columns v2 and v3 add (``ProblemDetails``), in order: nullable, so older rows stay valid
    /// and read as unknown.
    package static let detailColumns = [
        "source", "max_row_length", "row_length_std", "empty_rows", "column_length_std", "max_block_entries",
    ]

    /// Version 3: the most entries in one 16 x 16 block of W beside each trial (not in the key), so a
    /// problem rebuilt from a row sizes the bitmap and fragment-COO kernels' slots as the measured
    /// one did. Without it, the worst case (min(256, nnz)): the learned model's shared-memory and
    /// occupancy features of those configs were the worst case's, and a config measured on 16-block
    /// steps does not validate against it.
    static func addMaxBlockEntries(_ db: Database) throws {
        try db.execute(
            sql: """
                -- W's fullest 16 x 16 block (SpMMProblem.maxBlockEntries)
                ALTER TABLE trial ADD COLUMN max_block_entries INTEGER;
                """)
    }

    /// Version 2: the problem's source and pattern statistics beside each trial (not in the key),
    /// so that an export alone holds a cost model's training features.
    static func addProblemDetails(_ db: Database) throws {
        try db.execute(
            sql: """
                -- where the matrix came from (a file path, `file#tensor`), for splitting by family
                ALTER TABLE trial ADD COLUMN source TEXT;
                -- W's pattern beyond its shape: the longest row, the spread of rows and columns
                ALTER TABLE trial ADD COLUMN max_row_length INTEGER;
                ALTER TABLE trial ADD COLUMN row_length_std REAL;
                ALTER TABLE trial ADD COLUMN empty_rows INTEGER;
                ALTER TABLE trial ADD COLUMN column_length_std REAL;
                """)
    }

    /// Version 1: one table of trials, one row per (problem, context, phase, config).
    static func createVersion1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE trial (
                    -- the problem: the op ("spmm"), W's pattern digest (16 hex digits), W's shape
                    -- N x K and nnz, the dense width n, dtypes, and op-specific knobs that change
                    -- the kernel ("epilogue=none,rows=identity")
                    op TEXT NOT NULL,
                    pattern_digest TEXT NOT NULL,
                    matrix_rows INTEGER NOT NULL,
                    matrix_columns INTEGER NOT NULL,
                    nnz INTEGER NOT NULL,
                    width INTEGER NOT NULL,
                    element_type TEXT NOT NULL,
                    accumulator TEXT NOT NULL,
                    variant TEXT NOT NULL,
                    -- the measurement context
                    device_name TEXT NOT NULL,
                    compute_capability TEXT NOT NULL,
                    driver_version TEXT NOT NULL,
                    nvrtc_version TEXT NOT NULL,
                    generator_version INTEGER NOT NULL,
                    -- the candidate
                    family TEXT NOT NULL,
                    config TEXT NOT NULL,
                    -- the measurement
                    phase TEXT NOT NULL CHECK (phase IN ('proxy', 'full')),
                    proxy_seconds REAL,
                    real_seconds REAL,
                    sample_seconds TEXT NOT NULL,
                    compile_seconds REAL,
                    status TEXT NOT NULL CHECK (status IN
                        ('ok', 'compile_error', 'wrong_result', 'launch_error', 'invalid', 'skipped')),
                    status_detail TEXT,
                    relative_error REAL,
                    origin TEXT,
                    recorded_at TEXT NOT NULL,
                    -- a time exactly when the candidate was correct
                    CHECK ((status = 'ok') = (real_seconds IS NOT NULL))
                );
                -- One row per config and context: recording it again replaces it, and a new config
                -- or family only adds rows. Its prefixes serve recall (all columns) and the
                -- best-config query (problem + context + phase).
                CREATE UNIQUE INDEX trial_key ON trial (\(keyColumns.joined(separator: ", ")));
                -- Counts by family and status; the summary's per-context view.
                CREATE INDEX trial_family_status ON trial (family, status);
                CREATE INDEX trial_context ON trial (\(contextColumns.joined(separator: ", ")));
                """)
    }
}
