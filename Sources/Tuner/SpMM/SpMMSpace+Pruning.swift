import KernelGen

extension SpMMSpace {
    /// What ``prune(for:)`` did: the survivors and how many configs each step removed.
    public struct Pruning: Sendable {
        /// How many configs one pruning rule removed (each config counts for the first rule
        /// that removes it).
        public struct RuleCount: Sendable, Hashable {
            public var rule: String
            public var removed: Int
        }

        /// The legal configs no rule removed, in enumeration order.
        public var survivors: [SpMMConfig]
        /// Configs enumerated.
        public var enumerated: Int
        /// Illegal configs by the ``ConfigError`` case that rejected them (`tileNotMultiple`).
        public var illegal: [String: Int]
        /// Legal configs removed, per rule in rule order (zero counts included).
        public var removedByRule: [RuleCount]

        /// Illegal configs in all.
        public var illegalCount: Int { illegal.values.reduce(0, +) }
    }

    /// Enumerates the space of `problem`, drops the illegal configs, then applies the rules in
    /// order; the survivors keep the enumeration order and are never empty.
    public func prune(for problem: SpMMProblem) -> Pruning {
        var survivors: [SpMMConfig] = []
        var illegal: [String: Int] = [:]
        var removed = Array(repeating: 0, count: rules.count)
        let candidates = enumerate(for: problem)
        for config in candidates {
            do {
                try config.validate(for: problem)
            } catch {
                illegal[Self.kind(of: error), default: 0] += 1
                continue
            }
            if let index = rules.firstIndex(where: { $0.removes(config, for: problem) }) {
                removed[index] += 1
            } else {
                survivors.append(config)
            }
        }
        precondition(!survivors.isEmpty, "simple r8.t32 must be legal and kept for every valid problem")
        return Pruning(
            survivors: survivors, enumerated: candidates.count, illegal: illegal,
            removedByRule: zip(rules, removed).map { Pruning.RuleCount(rule: $0.name, removed: $1) })
    }

    /// The case name of a config error (`tileNotMultiple`), for counting.
    static func kind(of error: ConfigError) -> String {
        Mirror(reflecting: error).children.first?.label ?? "\(error)"
    }
}
