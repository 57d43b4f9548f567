import Foundation

/// Which query rows of each head a reference computes.
public enum AttentionRows: Sendable, Hashable {
    /// Every row.
    case all
    /// These rows (each in `0..<length`; sorted and deduplicated when resolved).
    case listed([Int])
    /// The first and last rows and `count - 2` more drawn without repeats by ``SeededGenerator``
    /// from `seed` (every row when `count >= length`), for long sequences.
    case sample(count: Int, seed: UInt64)

    /// The rows, increasing, for a sequence of `length`.
    public func resolve(length: Int) throws(SparseFormatError) -> [Int] {
        switch self {
        case .all: return Array(0..<length)
        case .listed(let rows):
            for (position, row) in rows.enumerated() where row < 0 || row >= length {
                throw .rowOutOfRange(position: position, row: row, rows: length)
            }
            return Array(Set(rows)).sorted()
        case .sample(let count, let seed):
            guard count < length else { return Array(0..<length) }
            var chosen: Set<Int> = count >= 1 ? [0] : []
            if count >= 2 { chosen.insert(length - 1) }
            var generator = SeededGenerator(seed: seed)
            while chosen.count < count { chosen.insert(Int(generator.next() % UInt64(length))) }
            return chosen.sorted()
        }
    }
}

/// The Float64 reference of sparse attention over an ``ACSR`` pattern, per head:
/// `out_i = Σ_j softmax_j(scale q_i·k_j) v_j` over row i's keys j (SDDMM of Q Kᵀ on the pattern,
/// scaled, a softmax per row over its keys, SpMM with V); a row with no key outputs zeros (as
/// FlexAttention does).
///
/// Q, K and V are `batchHeads` heads of `length x headSize`, row-major (`[batchHeads][L][d]`);
/// every product and sum is in Float64. For long sequences ``AttentionRows/sample(count:seed:)``
/// computes a stated sample of rows per head (the same rows in every head): ``rows`` says which,
/// and ``gather(_:)`` picks them out of a kernel's full output for the ``ComputePrecision``
/// check (Runtime's `Verifier(reference: output)`).
public struct ReferenceAttention: Sendable {
    /// The query rows computed in each head, increasing.
    public let rows: [Int]
    public let batchHeads: Int
    public let length: Int
    public let headSize: Int
    /// `batchHeads x rows.count x headSize`, row-major.
    public let output: [Double]

    /// Computes the reference; `scale` defaults to 1 / sqrt(headSize).
    public init<T: SparseElement>(
        q: [T], k: [T], v: [T], pattern: ACSR, batchHeads: Int, headSize: Int, scale: Double? = nil, rows: AttentionRows = .all
    ) throws(SparseFormatError) {
        let length = pattern.length, d = headSize
        try checkIndexable(batchHeads, "batchHeads")
        try checkIndexable(headSize, "headSize")
        let expected = [batchHeads, length, headSize]
        for (name, operand) in [("Q", q.count), ("K", k.count), ("V", v.count)] where operand != batchHeads * length * d {
            throw .shapeMismatch(operation: "attention \(name) [batchHeads][L][d]", left: expected, right: [operand])
        }
        let rows = try rows.resolve(length: length)
        let scale = scale ?? 1 / Double(d).squareRoot()
        var output = [Double](repeating: 0, count: batchHeads * rows.count * d)
        var scores: [Double] = []
        for head in 0..<batchHeads {
            let base = head * length * d
            for (r, i) in rows.enumerated() {
                let keys = pattern.keys(ofRow: i)
                guard !keys.isEmpty else { continue }
                scores = keys.map { j in
                    var dot = 0.0
                    for f in 0..<d { dot += q[base + i * d + f].doubleValue * k[base + j * d + f].doubleValue }
                    return scale * dot
                }
                let largest = scores.max() ?? 0
                var sum = 0.0
                for index in scores.indices {
                    scores[index] = exp(scores[index] - largest)
                    sum += scores[index]
                }
                let out = (head * rows.count + r) * d
                for (index, j) in keys.enumerated() {
                    let weight = scores[index] / sum
                    for f in 0..<d { output[out + f] += weight * v[base + j * d + f].doubleValue }
                }
            }
        }
        self.rows = rows
        self.batchHeads = batchHeads
        self.length = length
        self.headSize = d
        self.output = output
    }

    /// The reference's rows picked out of a full `[batchHeads][L][headSize]` output, in the
    /// reference's order, for comparison with ``output``.
    public func gather<T>(_ full: [T]) -> [T] {
        precondition(full.count == batchHeads * length * headSize, "gather: output is not [batchHeads][L][d]")
        var picked: [T] = []
        picked.reserveCapacity(output.count)
        for head in 0..<batchHeads {
            for i in rows { picked += full[((head * length + i) * headSize)..<((head * length + i + 1) * headSize)] }
        }
        return picked
    }
}
