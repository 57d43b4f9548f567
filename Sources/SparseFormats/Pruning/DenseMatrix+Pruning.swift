/// Magnitude pruning of dense weights to an exact target.
///
/// Every pattern ranks by magnitude and zeroes an exact number of positions:
/// - `.unstructured`: exactly `Int((sparsity * Double(count)).rounded())` elements
///   (`rounded()` is round half away from zero), the smallest `|w|` first;
/// - `.block(rows: R, columns: C)`: exactly `Int((sparsity * Double(blockCount)).rounded())`
///   blocks, the smallest L2 norm (sum of squares in Float64) first; N and K must be
///   divisible by R and C;
/// - `.nOfM(n:m:)`: the `m - n` smallest `|w|` of every `m` consecutive weights of each row;
///   K must be divisible by `m`, and the sparsity is `1 - n/m`.
///
/// Ties are broken by position: of equal magnitudes (or norms) the earlier element (block)
/// in row-major order is kept. Pre-existing zeros are ranked like any other value, so they are
/// pruned first; the target is met exactly either way, and a kept position may hold a zero.
/// NaN cannot be ranked and is rejected; infinities rank largest.
public enum Pruning {
    /// The positions a pruning keeps (row-major, `rows * columns` flags) and its report.
    ///
    /// `sparsity` is the fraction to zero, in [0, 1]; it is required for `.unstructured`
    /// and `.block`, and for `.nOfM` it may be left out or must equal `1 - n/m`.
    @inlinable
    public static func keepMask<E: SparseElement>(
        _ w: DenseMatrix<E>, _ pattern: PruningPattern, sparsity: Double? = nil
    ) throws(SparseFormatError) -> (keep: [Bool], report: PruningReport) {
        try pattern.validate()
        if let index = w.storage.firstIndex(where: { $0.doubleValue.isNaN }) {
            throw .nonFiniteValue(row: index / w.columns, column: index % w.columns, value: .nan)
        }
        let count = w.storage.count
        switch pattern {
        case .unstructured:
            let target = try checkedSparsity(sparsity, pattern)
            let prune = exactCount(target, of: count)
            let keep = magnitudeKeepMask(w.storage, prune: prune)
            return (keep, PruningReport(pattern: pattern, requested: target, kept: count - prune, total: count))
        case let .block(r, c):
            let target = try checkedSparsity(sparsity, pattern)
            guard w.rows % r == 0, w.columns % c == 0 else {
                throw .shapeNotDivisibleByBlock(rows: w.rows, columns: w.columns, blockRows: r, blockColumns: c)
            }
            let keep = blockKeepMask(w, r, c, target)
            let kept = keep.reduce(0) { $0 + ($1 ? 1 : 0) }
            return (keep, PruningReport(pattern: pattern, requested: target, kept: kept, total: count))
        case let .nOfM(n, m):
            let implied = 1 - Double(n) / Double(m)
            if let sparsity, abs(sparsity - implied) > 1e-9 {
                throw .invalidPruning(
                    "\(n):\(m) pruning always reaches sparsity 1 - \(n)/\(m) = \(implied); \(sparsity) was requested")
            }
            guard w.columns % m == 0 else {
                throw .invalidPruning("\(n):\(m) pruning needs the column count K = \(w.columns) divisible by M = \(m)")
            }
            let keep = nOfMKeepMask(w.storage, n, m)
            let kept = (count / m) * n
            return (keep, PruningReport(pattern: pattern, requested: implied, kept: kept, total: count))
        }
    }

    /// The exact number of items a sparsity zeroes: `Int((sparsity * Double(count)).rounded())`.
    @inlinable
    public static func exactCount(_ sparsity: Double, of count: Int) -> Int {
        min(max(Int((sparsity * Double(count)).rounded()), 0), count)
    }

    @inlinable
    static func checkedSparsity(_ sparsity: Double?, _ pattern: PruningPattern) throws(SparseFormatError) -> Double {
        guard let sparsity else {
            throw .invalidPruning("\(pattern) pruning needs a target sparsity in [0, 1]")
        }
        guard sparsity >= 0, sparsity <= 1 else {
            throw .invalidPruning("sparsity must lie in [0, 1] (the fraction of weights zeroed), got \(sparsity)")
        }
        return sparsity
    }

    @inlinable
    static func magnitudeKeepMask<E: SparseElement>(_ values: [E], prune: Int) -> [Bool] {
        // Magnitudes' bit patterns order like the magnitudes (non-negative IEEE floats);
        // Float bits suffice (exactly) for every type up to 32 bits.
        if E.byteWidth <= 4 {
            return PruningSelection.keepMask(count: values.count, prune: prune) { abs(values[$0].floatValue).bitPattern }
        }
        return PruningSelection.keepMask(count: values.count, prune: prune) { abs(values[$0].doubleValue).bitPattern }
    }

    @inlinable
    static func blockKeepMask<E: SparseElement>(_ w: DenseMatrix<E>, _ r: Int, _ c: Int, _ sparsity: Double) -> [Bool] {
        let blockRowCount = w.rows / r, blockColumnCount = w.columns / c
        var norms = [Double](repeating: 0, count: blockRowCount * blockColumnCount)
        for row in 0..<w.rows {
            let blockBase = (row / r) * blockColumnCount
            for column in 0..<w.columns {
                let v = w.storage[row * w.columns + column].doubleValue
                norms[blockBase + column / c] += v * v
            }
        }
        let prune = exactCount(sparsity, of: norms.count)
        let keepBlock = PruningSelection.keepMask(count: norms.count, prune: prune) { norms[$0].bitPattern }
        var keep = [Bool](repeating: true, count: w.storage.count)
        for row in 0..<w.rows {
            let blockBase = (row / r) * blockColumnCount
            for column in 0..<w.columns where !keepBlock[blockBase + column / c] {
                keep[row * w.columns + column] = false
            }
        }
        return keep
    }

    @inlinable
    static func nOfMKeepMask<E: SparseElement>(_ values: [E], _ n: Int, _ m: Int) -> [Bool] {
        var keep = [Bool](repeating: false, count: values.count)
        var magnitudes = [Double](repeating: 0, count: m)
        var order = [Int](0..<m)
        // Rows are whole groups (K divisible by M), so the storage is a sequence of groups.
        for start in stride(from: 0, to: values.count, by: m) {
            for j in 0..<m { magnitudes[j] = abs(values[start + j].doubleValue) }
            if m <= 16 {
                // Rank by counting who beats whom: O(m^2), cheap for the small M of N:M.
                for j in 0..<m {
                    var beaten = 0
                    for i in 0..<m where magnitudes[i] > magnitudes[j] || (magnitudes[i] == magnitudes[j] && i < j) {
                        beaten += 1
                    }
                    keep[start + j] = beaten < n
                }
            } else {
                for j in 0..<m { order[j] = j }
                order.sort { magnitudes[$0] > magnitudes[$1] || (magnitudes[$0] == magnitudes[$1] && $0 < $1) }
                for j in order.prefix(n) { keep[start + j] = true }
            }
        }
        return keep
    }
}

extension DenseMatrix {
    /// The matrix with pruned positions set to zero, and the report; see ``Pruning``.
    @inlinable
    public func pruned(
        _ pattern: PruningPattern, sparsity: Double? = nil
    ) throws(SparseFormatError) -> (matrix: DenseMatrix, report: PruningReport) {
        let (keep, report) = try Pruning.keepMask(self, pattern, sparsity: sparsity)
        var out = storage
        for index in out.indices where !keep[index] { out[index] = .zero }
        return (DenseMatrix(unchecked: rows, columns, out), report)
    }

    /// The kept positions as CSR, and the report; see ``Pruning``. Every kept position is
    /// stored, even one that holds zero, so `nnz == report.kept` exactly.
    @inlinable
    public func prunedCSR(
        _ pattern: PruningPattern, sparsity: Double? = nil
    ) throws(SparseFormatError) -> (matrix: CSRMatrix<Element>, report: PruningReport) {
        let (keep, report) = try Pruning.keepMask(self, pattern, sparsity: sparsity)
        try checkIndexable(report.kept, "nnz")
        var offsets = [Int32](repeating: 0, count: rows + 1)
        var columnIndices = [Int32](), values = [Element]()
        columnIndices.reserveCapacity(report.kept)
        values.reserveCapacity(report.kept)
        for row in 0..<rows {
            for column in 0..<columns where keep[row * columns + column] {
                columnIndices.append(Int32(truncatingIfNeeded: column))
                values.append(storage[row * columns + column])
            }
            offsets[row + 1] = Int32(truncatingIfNeeded: values.count)
        }
        return (CSRMatrix(unchecked: rows, columns, offsets, columnIndices, values), report)
    }
}
