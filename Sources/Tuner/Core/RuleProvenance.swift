/// Where a pruning rule's knowledge comes from, so a report can say why a candidate was never
/// measured and a later sweep can check the claim.
package enum RuleProvenance: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A limit of the device (resident threads, SMs, shared memory, registers), and which.
    case hardware(String)
    /// A property of the algorithm (idle lanes, redundant work, nothing to overlap), and which.
    case algorithm(String)
    /// A measurement: where and when it was recorded.
    case measured(where: String)

    package var description: String {
        switch self {
        case .hardware(let what): "hardware: \(what)"
        case .algorithm(let what): "algorithm: \(what)"
        case .measured(let source): "measured, \(source)"
        }
    }
}
