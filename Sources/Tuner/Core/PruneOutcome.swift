/// Why pruning removed one candidate.
package enum RemovalCause: Sendable, Hashable, Codable {
    /// The space enumerated it before.
    case duplicate
    /// The generator cannot build it; `kind` groups errors as in ``PruneReport/IllegalKind``.
    case illegal(kind: String, message: String)
    /// The named rule dropped it.
    case rule(String)
}

/// One candidate pruning removed, with the stage that removed it (kept so an audit can check,
/// on recorded exhaustive sweeps, that no rule ever removed a winner).
package struct Removal<Config> {
    /// The candidate.
    package var config: Config
    /// Its position in the space's enumeration.
    package var index: Int
    /// The first stage that removed it.
    package var cause: RemovalCause
}

extension Removal: Sendable where Config: Sendable {}
extension Removal: Equatable where Config: Equatable {}

/// The result of pruning one problem's space.
package struct PruneOutcome<Config> {
    /// The candidates left, in enumeration order.
    package var survivors: [Config]
    /// Every candidate removed, in enumeration order.
    package var removed: [Removal<Config>]
    /// The counts per stage.
    package var report: PruneReport
}

extension PruneOutcome: Sendable where Config: Sendable {}

extension PruneOutcome where Config: Equatable {
    /// Why `config` was removed, or `nil` if it survived or was never enumerated (to check a
    /// recorded winner against the rules).
    package func cause(of config: Config) -> RemovalCause? {
        removed.first { $0.config == config }?.cause
    }
}
