import TuningStore

/// What a ``TuneJob`` did, for the command to print.
package enum TuneOutcome: Sendable {
    /// What the database holds (`--list`).
    case listing(TuneListing)
    /// Trials written to a file (`--export`).
    case exported(TuneTransfer)
    /// Trials read from a file (`--import`), with what happened to each.
    case imported(TuneTransfer, ImportReport)
    /// Problems tuned.
    case tuned(TuneReport)
    /// The cost model's training table written (`--features`).
    case features(FeatureSummary)
}

/// What `--features` wrote.
package struct FeatureSummary: Sendable, Hashable, Codable {
    /// The database or export file read, and the table written.
    package var input: String
    package var file: String
    /// Trials read, rows written (correct GPU trials with statistics) and problem groups.
    package var trials: Int
    package var rows: Int
    package var groups: Int
    /// Trials left out, by reason.
    package var skipped: [String: Int]

    /// One line: `wrote 1200 rows of 4 problems from X.sqlite to f.csv.gz (left out: 3 not ok)`.
    package var line: String {
        let left = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "wrote \(rows) rows of \(groups) problems from \(input) (\(trials) trials) to \(file)"
            + (left.isEmpty ? "" : "; left out: \(left)")
    }
}

/// Trials moved between a database and a file.
package struct TuneTransfer: Sendable, Hashable, Codable {
    /// The database file.
    package var database: String
    /// The export file.
    package var file: String
    /// Trials written (export) or stored (import: inserted plus replaced).
    package var trials: Int
}
