/// Where a pruning rule's knowledge comes from, so a reader (and an audit against recorded
/// sweeps) can tell a law of the hardware from a measured habit that may not transfer.
public enum RuleProvenance: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A limit of the device (registers, shared memory, threads per SM, waves over the SMs).
    case hardware
    /// A property of the algorithm (a tile wider than the data idles half its lanes, a chunk
    /// longer than every row is never filled).
    case algorithm
    /// An observation from measurements; `where` names them (a perf record, a sweep, a commit)
    /// so the rule can be re-checked when the device or the generator changes.
    case measured(where: String)

    public var description: String {
        switch self {
        case .hardware: "hardware"
        case .algorithm: "algorithm"
        case .measured(let source): "measured (\(source))"
        }
    }
}
