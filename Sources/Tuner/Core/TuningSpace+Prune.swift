extension TuningSpace {
    /// Enumerates `problem`'s candidates and prunes them (see ``prune(_:for:)``).
    package func prune(_ problem: Problem) -> PruneOutcome<Config> {
        prune(enumerate(problem), for: problem)
    }

    /// Removes from `candidates` the duplicates, the illegal ones, then what each rule drops,
    /// in the space's rule order; each rule sees the survivors of the stages before it, and each
    /// removed candidate is charged to the first stage that removes it. Survivors keep their
    /// order in `candidates`.
    package func prune(_ candidates: [Config], for problem: Problem) -> PruneOutcome<Config> {
        var removed: [Removal<Config>] = []
        var seen = Set<Config>()
        var legal: [(index: Int, config: Config)] = []
        var illegalKinds: [PruneReport.IllegalKind] = []
        var duplicates = 0
        for (index, config) in candidates.enumerated() {
            guard seen.insert(config).inserted else {
                duplicates += 1
                removed.append(Removal(config: config, index: index, cause: .duplicate))
                continue
            }
            if let error = legalityError(config, for: problem) {
                let kind = errorKind(error)
                let message = String(describing: error)
                if let at = illegalKinds.firstIndex(where: { $0.kind == kind }) {
                    illegalKinds[at].count += 1
                } else {
                    illegalKinds.append(.init(kind: kind, count: 1, example: "\(config): \(message)"))
                }
                removed.append(Removal(config: config, index: index, cause: .illegal(kind: kind, message: message)))
                continue
            }
            legal.append((index, config))
        }
        var alive = legal
        var counts: [PruneReport.RuleCount] = []
        for rule in rules {
            let rejects = rule.rejectionTest(among: alive.map(\.config), for: problem)
            var kept: [(index: Int, config: Config)] = []
            kept.reserveCapacity(alive.count)
            var dropped = 0
            for entry in alive {
                if rejects(entry.config) {
                    dropped += 1
                    removed.append(Removal(config: entry.config, index: entry.index, cause: .rule(rule.name)))
                } else {
                    kept.append(entry)
                }
            }
            counts.append(.init(name: rule.name, reason: rule.reason, provenance: rule.provenance, removed: dropped))
            alive = kept
        }
        // Stages append out of enumeration order; an audit reads them by position.
        removed.sort { $0.index < $1.index }
        let report = PruneReport(
            space: name, enumerated: candidates.count, duplicates: duplicates, illegalKinds: illegalKinds,
            rules: counts, survivors: alive.count)
        return PruneOutcome(survivors: alive.map(\.config), removed: removed, report: report)
    }
}

/// A grouping key for an error: its type, and for an enum its case when the case carries values
/// (the case of a value-less enum case is not visible without its description, which may be a
/// message; those group by type).
func errorKind(_ error: any Error) -> String {
    let type = String(describing: Swift.type(of: error))
    let mirror = Mirror(reflecting: error)
    if mirror.displayStyle == .enum, let label = mirror.children.first?.label {
        return "\(type).\(label)"
    }
    return type
}
