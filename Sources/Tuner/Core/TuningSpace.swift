/// A space of kernel configurations for one kind of problem: the candidates, the generator's
/// hard legality, and the pruning rules that drop candidates known not to win.
///
/// The search logic never looks inside a `Config`; a new kernel family is a new space (or a new
/// member of a ``SpaceUnion``), not a change to ``Search``.
package protocol TuningSpace<Problem, Config>: Sendable {
    /// What is tuned for (a matrix pattern with its shapes, dtypes and device limits).
    associatedtype Problem
    /// One candidate; its `description` is the config id that trials and databases key on.
    associatedtype Config: Hashable & Sendable & CustomStringConvertible

    /// A short name for reports (`"spmm.tiled"`).
    var name: String { get }

    /// The unpruned candidates for `problem`, in a stable order: the order breaks ranking ties,
    /// so it must not depend on hashing or on the run.
    func enumerate(_ problem: Problem) -> [Config]

    /// Why `config` cannot be generated for `problem` (the generator's hard rule), or `nil`
    /// when it is legal.
    func legalityError(_ config: Config, for problem: Problem) -> (any Error)?

    /// Rules that drop legal candidates, applied in this order (see ``prune(_:)``).
    var rules: [PruningRule<Problem, Config>] { get }
}

extension TuningSpace {
    /// The type's name, for spaces that do not name themselves.
    package var name: String { String(describing: Self.self) }

    /// No rules: every legal candidate survives.
    package var rules: [PruningRule<Problem, Config>] { [] }

    /// Whether `config` is legal for `problem`.
    package func isLegal(_ config: Config, for problem: Problem) -> Bool {
        legalityError(config, for: problem) == nil
    }
}
