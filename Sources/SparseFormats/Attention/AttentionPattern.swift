/// Which keys each query attends to, for a sequence of L tokens attending to itself.
///
/// Every pattern is a rule for query `i` over keys `j`, both in `0..<L`; a key the rule names
/// outside `0..<L` is dropped (clipped), so the pattern at length `n` is the pattern at any
/// longer length restricted to its first `n` queries and keys (which is what a padding mask
/// makes of it). `h = W / 2` (integer division) below:
///
/// - ``window(_:)`` W, bidirectional: `|i - j| <= h` (2h + 1 keys away from the edges).
/// - ``causalWindow(_:)`` W: `i - W < j <= i` (W keys, the query's own included; W = 0 gives
///   every row empty).
/// - ``dilated(_:stride:)`` W at stride d: `j = i + d t` for integers `|t| <= h`; with d = 1 it is
///   ``window(_:)`` W exactly. In mask form: `|i - j| <= d h` and `(i - j) mod d == 0`.
/// - ``globalWindow(_:_:)`` G, W: the first G tokens are global: a query `i < G` attends to
///   every key, and every query attends to the keys `j < G`; besides, `|i - j| <= h`.
/// - ``blocked(_:)`` B: block-diagonal, `i / B == j / B`.
/// - ``union(_:)``: a key is attended when any member attends to it (an empty union attends to
///   nothing).
///
/// The compact spelling (``init(parsing:)``, ``description``) is documented at
/// ``init(parsing:)``.
public indirect enum AttentionPattern: Sendable, Hashable, Codable {
    case window(Int)
    case causalWindow(Int)
    case dilated(Int, stride: Int)
    case globalWindow(Int, Int)
    case blocked(Int)
    case union([AttentionPattern])

    /// Whether query `i` attends to key `j` in a sequence of `length` tokens: the definition
    /// above, written as a dense mask (tests and the dense-mask baselines use it; the segment
    /// construction in ``ACSR`` must agree with it).
    public func contains(query i: Int, key j: Int, length: Int) -> Bool {
        guard i >= 0, j >= 0, i < length, j < length else { return false }
        switch self {
        case .window(let w): return abs(i - j) <= w / 2
        case .causalWindow(let w): return j <= i && j > i - w
        case .dilated(let w, let d): return d > 0 && abs(i - j) <= d * (w / 2) && (i - j) % d == 0
        case .globalWindow(let g, let w): return i < g || j < g || abs(i - j) <= w / 2
        case .blocked(let b): return b > 0 && i / b == j / b
        case .union(let members): return members.contains { $0.contains(query: i, key: j, length: length) }
        }
    }

    /// Checks every parameter: widths and global counts at least 0, strides and blocks at least 1.
    public func validate() throws(AttentionPatternError) {
        func atLeast(_ value: Int, _ minimum: Int, _ name: String) throws(AttentionPatternError) {
            guard value >= minimum else {
                throw .invalidParameter(pattern: description, name: name, value: value, minimum: minimum)
            }
        }
        switch self {
        case .window(let w), .causalWindow(let w): try atLeast(w, 0, "width")
        case .dilated(let w, let d):
            try atLeast(w, 0, "width")
            try atLeast(d, 1, "stride")
        case .globalWindow(let g, let w):
            try atLeast(g, 0, "global")
            try atLeast(w, 0, "width")
        case .blocked(let b): try atLeast(b, 1, "block")
        case .union(let members): for member in members { try member.validate() }
        }
    }

    /// The members of a union, nested unions flattened; a single pattern is its own member.
    public var members: [AttentionPattern] {
        if case .union(let members) = self { return members.flatMap(\.members) }
        return [self]
    }
}
