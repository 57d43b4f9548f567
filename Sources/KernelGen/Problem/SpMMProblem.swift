import SparseFormats

/// What a fused epilogue does to each output element before it is stored.
package enum Epilogue: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    /// `y = acc + bias[row]`
    case bias
    /// `y = max(acc + bias[row], 0)` (NaN stays NaN)
    case biasReLU = "bias_relu"
    /// `y = max(acc, 0)` (NaN stays NaN)
    case reLU = "relu"
    /// `y = gelu(acc + bias[row])` with the exact GELU, `v / 2 * (1 + erf(v / sqrt 2))` (BERT's FFN).
    case biasGELU = "bias_gelu"
    /// `y = acc + bias[row] + residual[row, col]` (a transformer's residual connection; `residual`
    /// has Y's shape and layout and may not alias Y).
    case biasResidual = "bias_residual"

    package var hasBias: Bool { self == .bias || self == .biasReLU || self == .biasGELU || self == .biasResidual }
    package var hasReLU: Bool { self == .reLU || self == .biasReLU }
    package var hasGELU: Bool { self == .biasGELU }
    package var hasResidual: Bool { self == .biasResidual }
}

/// The accumulator precision. Only fp32 for now: fp16 accumulation over thousands of
/// products loses too much, and SpMM is bound by memory, not by fp32 FMA throughput.
package enum AccumulatorType: String, Sendable, Hashable, Codable, CaseIterable {
    case f32
}

/// One SpMM to generate a kernel for: `Y[n x m] = W[n x k] X[k x m]`, W in CSR with `nnz`
/// entries, X and Y dense row-major, on one kind of device.
///
/// Values only: the pattern itself is summarised by its digest and row statistics, so a
/// problem is a small hashable key (tuning database, kernel cache).
package struct SpMMProblem: Sendable, Hashable, Codable {
    /// Rows of W and Y (output features).
    package let n: Int
    /// Columns of W, rows of X (input features).
    package let k: Int
    /// Columns of X and Y (the dense width: batch x spatial size).
    package let m: Int
    package let nnz: Int
    /// Stable digest of W's sparsity pattern (computed by SparseFormats).
    package let patternDigest: UInt64
    /// Most stored entries in one row of W.
    package let maxRowLength: Int
    package let elementType: ElementType
    package let accumulator: AccumulatorType
    package let epilogue: Epilogue
    /// The row order the operands were prepared with (``SparseFormats/RowOrdering``); a config
    /// whose own row-order knob is not the identity needs the identity here.
    package var rowOrdering: RowOrdering
    /// Whether W keeps at most 2 entries in every run of 4 columns of a row (from column 0): the
    /// 2:4 structure the sparse tensor cores take (``SparseFormats/TwoFourMatrix``).
    package var twoFour: Bool
    /// Most stored entries in one 16 x 16 block of W (blocks on the 16-row, 16-column grid from
    /// (0, 0)), at most 256: the tensor-core families that stage W block by block size their
    /// shared memory by it. min(256, nnz) (every block possibly full) unless the pattern was counted.
    package var maxBlockEntries: Int
    /// The device kind the kernel is generated for; it only changes which configs are legal.
    package var device: DeviceLimits

    /// Checks the shape; see ``ProblemError`` for the rules.
    package init(
        n: Int, k: Int, m: Int, nnz: Int, patternDigest: UInt64, maxRowLength: Int,
        elementType: ElementType, accumulator: AccumulatorType = .f32, epilogue: Epilogue = .none,
        rowOrdering: RowOrdering = .identity, twoFour: Bool = false, maxBlockEntries: Int? = nil, device: DeviceLimits
    ) throws(ProblemError) {
        for (name, value) in [("n", n), ("m", m)] where value < 1 {
            throw .nonPositive(name: name, value: value)
        }
        for (name, value) in [("k", k), ("nnz", nnz), ("maxRowLength", maxRowLength)] where value < 0 {
            throw .negative(name: name, value: value)
        }
        let limit = Int(Int32.max)
        for (name, value) in [("n", n), ("k", k), ("m", m), ("nnz", nnz)] where value > limit {
            throw .exceedsInt32(name: name, value: value)
        }
        let (cells, overflow) = n.multipliedReportingOverflow(by: k)
        guard overflow || nnz <= cells else { throw .tooManyNonzeros(nnz: nnz, n: n, k: k) }
        // A row holds at most k entries and at most nnz; some row holds at least nnz / n.
        let lowest = (nnz + n - 1) / n
        guard maxRowLength <= min(k, nnz), maxRowLength >= lowest else {
            throw .inconsistentMaxRowLength(maxRowLength: maxRowLength, nnz: nnz, n: n, k: k)
        }
        guard elementType != .f64 else { throw .unsupportedElementType(elementType) }
        // A block holds at most 256 entries and at most nnz; some block holds at least nnz / blocks.
        let blocks = ((n + 15) / 16) * ((k + 15) / 16)
        let maxBlockEntries = maxBlockEntries ?? min(256, nnz)
        guard maxBlockEntries <= min(256, nnz), blocks == 0 || maxBlockEntries >= (nnz + blocks - 1) / blocks else {
            throw .inconsistentMaxBlockEntries(maxBlockEntries: maxBlockEntries, nnz: nnz, blocks: blocks)
        }
        self.n = n
        self.k = k
        self.m = m
        self.nnz = nnz
        self.patternDigest = patternDigest
        self.maxRowLength = maxRowLength
        self.elementType = elementType
        self.accumulator = accumulator
        self.epilogue = epilogue
        self.rowOrdering = rowOrdering
        self.twoFour = twoFour
        self.maxBlockEntries = maxBlockEntries
        self.device = device
    }

    private enum CodingKeys: String, CodingKey {
        case n, k, m, nnz, patternDigest, maxRowLength, elementType, accumulator, epilogue, rowOrdering, twoFour, maxBlockEntries, device
    }

    /// Decodes problems stored before `twoFour` existed as not 2:4, and before `maxBlockEntries`
    /// with min(256, nnz).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        n = try c.decode(Int.self, forKey: .n)
        k = try c.decode(Int.self, forKey: .k)
        m = try c.decode(Int.self, forKey: .m)
        nnz = try c.decode(Int.self, forKey: .nnz)
        patternDigest = try c.decode(UInt64.self, forKey: .patternDigest)
        maxRowLength = try c.decode(Int.self, forKey: .maxRowLength)
        elementType = try c.decode(ElementType.self, forKey: .elementType)
        accumulator = try c.decode(AccumulatorType.self, forKey: .accumulator)
        epilogue = try c.decode(Epilogue.self, forKey: .epilogue)
        rowOrdering = try c.decode(RowOrdering.self, forKey: .rowOrdering)
        twoFour = try c.decodeIfPresent(Bool.self, forKey: .twoFour) ?? false
        maxBlockEntries = try c.decodeIfPresent(Int.self, forKey: .maxBlockEntries) ?? min(256, nnz)
        device = try c.decode(DeviceLimits.self, forKey: .device)
    }

    /// Mean stored entries per row.
    package var meanRowLength: Double { Double(nnz) / Double(n) }

    /// The same problem on another device.
    package func on(_ device: DeviceLimits) -> SpMMProblem {
        var copy = self
        copy.device = device
        return copy
    }
}

/// A problem description that no kernel can serve.
package enum ProblemError: Error, Equatable, Sendable, CustomStringConvertible {
    case nonPositive(name: String, value: Int)
    case negative(name: String, value: Int)
    case exceedsInt32(name: String, value: Int)
    case tooManyNonzeros(nnz: Int, n: Int, k: Int)
    case inconsistentMaxRowLength(maxRowLength: Int, nnz: Int, n: Int, k: Int)
    case unsupportedElementType(ElementType)
    case inconsistentMaxBlockEntries(maxBlockEntries: Int, nnz: Int, blocks: Int)

    package var description: String {
        switch self {
        case let .nonPositive(name, value):
            "\(name) = \(value): must be at least 1 (skip empty products instead of launching)"
        case let .negative(name, value):
            "\(name) = \(value) is negative"
        case let .exceedsInt32(name, value):
            "\(name) = \(value) exceeds the Int32 limit \(Int32.max) of kernel indices"
        case let .tooManyNonzeros(nnz, n, k):
            "nnz = \(nnz) exceeds n x k = \(n) x \(k)"
        case let .inconsistentMaxRowLength(maxRowLength, nnz, n, k):
            "maxRowLength = \(maxRowLength) is impossible for nnz = \(nnz) over \(n) rows of \(k) columns "
                + "(it must lie in ceil(nnz / n) ... min(k, nnz))"
        case let .inconsistentMaxBlockEntries(maxBlockEntries, nnz, blocks):
            "maxBlockEntries = \(maxBlockEntries) is impossible for nnz = \(nnz) over \(blocks) blocks of 16 x 16 "
                + "(it must lie in ceil(nnz / blocks) ... min(256, nnz))"
        case let .unsupportedElementType(type):
            "element type \(type.rawValue) has no GPU kernel (use f32, f16 or bf16)"
        }
    }
}
