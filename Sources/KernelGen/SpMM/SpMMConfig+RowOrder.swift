import SparseFormats

/// The row-order knob of the CSR families (simple, tiled, X-tiled): in ids a trailing `.o1`
/// (``SparseFormats/RowOrdering/locality``, as the specialised family's `o1`) or `.o2`
/// (``SparseFormats/RowOrdering/byLengthDescending``), left out for the identity, so every id
/// written before the knob existed still names the same kernel.
///
/// The kernel text only depends on whether a permutation is read: a config with the knob set
/// is rendered as the problem with that ``SpMMProblem/rowOrdering`` (``SpMMProblem/ordered(for:)``),
/// and whoever binds it supplies the permutation the knob names (computed by SparseFormats).
extension RowOrdering {
    /// The value of the `o` part of an id (0 for the identity, which ids leave out).
    package var idCode: Int {
        switch self {
        case .identity: 0
        case .locality: 1
        case .byLengthDescending: 2
        }
    }

    /// The ordering an id's `o` part names (nil for another value).
    package init?(idCode: Int) {
        guard let ordering = Self.allCases.first(where: { $0.idCode == idCode }) else { return nil }
        self = ordering
    }

    /// The id suffix of a knob set to this ordering (empty for the identity).
    var idSuffix: String { self == .identity ? "" : ".o\(idCode)" }

    /// The knob from a parsed id's fields (no `o` part: identity); nil for an unknown code.
    static func knob(_ fields: [String: Int]) -> RowOrdering? {
        guard let code = fields["o"] else { return .identity }
        return RowOrdering(idCode: code)
    }
}

extension SpMMConfig {
    /// The config's row-order knob (identity for the families without one).
    package var rowOrder: RowOrdering { familyConfig.rowOrder }

    /// Families whose kernels read a `rowOrder` permutation and so take the knob.
    package static let rowOrderFamilies: Set<Family> = [.simple, .tiled, .xTile]

    /// This config with its row-order knob set to `ordering` (nil for a family without the knob,
    /// unless `ordering` is the identity).
    package func withRowOrder(_ ordering: RowOrdering) -> SpMMConfig? {
        switch self {
        case var .simple(config):
            config.rowOrder = ordering
            return .simple(config)
        case var .tiled(config):
            config.rowOrder = ordering
            return .tiled(config)
        case var .xTile(config):
            config.rowOrder = ordering
            return .xTile(config)
        case .compact, .specialised, .bitmap, .twoFour, .fragmentCOO:
            return ordering == .identity ? self : nil
        }
    }

    /// The knob's rule: a config that sets it needs operands in their own order (or in the
    /// knob's: the same permutation).
    func validateRowOrder(for problem: SpMMProblem) throws(ConfigError) {
        guard rowOrder == .identity || problem.rowOrdering == .identity || problem.rowOrdering == rowOrder else {
            throw .rowOrderConflict(config: rowOrder, problem: problem.rowOrdering)
        }
    }
}

extension SpMMProblem {
    /// The problem as `config`'s kernel sees it: with the config's row order when its knob is
    /// set (the kernel then reads a permutation), otherwise this problem.
    package func ordered(for config: SpMMConfig) -> SpMMProblem {
        guard config.rowOrder != .identity else { return self }
        var copy = self
        copy.rowOrdering = config.rowOrder
        return copy
    }
}
