import KernelGen

/// One rule that removes legal configs from the search space because they are never better than
/// a kept one, with why and where that knowledge comes from.
public struct SpMMPruningRule: Sendable, CustomStringConvertible {
    /// Short stable name, for reports (`tile-twice-m`).
    public let name: String
    /// One line: what the rule removes and why.
    public let reason: String
    /// Where the knowledge comes from: `measured, <device> <date>, <record>`, `hardware: ...` or
    /// `algorithm: ...`.
    public let provenance: String
    let predicate: @Sendable (SpMMConfig, SpMMProblem) -> Bool

    /// A rule that removes the configs for which `removes` is true.
    public init(
        name: String, reason: String, provenance: String,
        removes: @escaping @Sendable (SpMMConfig, SpMMProblem) -> Bool
    ) {
        self.name = name
        self.reason = reason
        self.provenance = provenance
        self.predicate = removes
    }

    /// Whether the rule removes `config` from the space of `problem`.
    public func removes(_ config: SpMMConfig, for problem: SpMMProblem) -> Bool { predicate(config, problem) }

    public var description: String { "\(name): \(reason) (\(provenance))" }
}
