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
