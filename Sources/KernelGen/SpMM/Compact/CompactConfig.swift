import SparseFormats

/// The memory-bound compact-format kernel's shape (see CompactKernel.swift): blocks of `warps`
/// warps own a contiguous range of rows; each row is cut into `split` segments, one warp each;
/// lanes read `vectorWidth` entries (16-bit indices or 4-bit deltas, and values) per load,
/// `unroll` loads in flight per lane; X is staged in shared memory `chunk` rows of K at a time;
/// the grid holds at most `blocksPerSM` blocks per SM. `doubleBuffered` (whole rows, one chunk):
/// each warp loads its next round of entries, across row ends, while it multiplies the current
/// one (CompactKernel+DoubleBuffered.swift).
///
/// Id: `compact.i16.w8.v8.u2.s1.b2.k4096` (`i16`: CSR16, `i4`: 4-bit deltas), `.db1` appended when
/// double-buffered, then `.rg3` / `.rg4` when its rounds come through a per-warp ring of 3 or 4
/// `cp.async` stages.
package struct CompactConfig: SpMMFamilyConfig {
    /// Which compact format the kernel reads W in.
    package enum IndexFormat: Int, Sendable, Hashable, Codable, CaseIterable {
        /// ``SparseFormats/CSR16Matrix`` with one panel: CSR row offsets, 16-bit column indices.
        case csr16 = 16
        /// ``SparseFormats/DeltaCSRMatrix``: entry offsets, 4-bit column deltas, zero-valued padding entries.
        case delta4 = 4

        /// The format's name in SparseFormats.
        package var formatName: String {
            switch self {
            case .csr16: CSR16Matrix<Float>.formatName
            case .delta4: DeltaCSRMatrix<Float>.formatName
            }
        }
    }

    package var format: IndexFormat
    /// Warps per block (1 ... 32).
    package var warps: Int
    /// Entries per lane per load: 2, 4 or 8, at most 16 bytes of values.
    package var vectorWidth: Int
    /// Loads of `vectorWidth` entries each lane issues before it multiplies (1, 2 or 4).
    package var unroll: Int
    /// Segments per row, each walked by one warp (1, 2, 4 or 8; 1 for delta4).
    package var split: Int
    /// Most blocks per SM the grid is sized for (1, 2 or 4).
    package var blocksPerSM: Int
    /// Rows of X (a range of K) staged in shared memory per step; K chunks when this is below K.
    package var chunk: Int
    /// Two rounds of entries in registers: the next round's loads (the next row's when this one
    /// ends) are issued before the current round is multiplied.
    package var doubleBuffered: Bool
    /// Double-buffered delta4 only: 0 (the next round in registers), or the stages of a per-warp
    /// ring in shared memory that `cp.async` fills `ringStages - 1` rounds ahead, so that a warp has
    /// that many rounds in flight without holding them in registers.
    package var ringStages: Int

    package init(
        format: IndexFormat, warps: Int, vectorWidth: Int, unroll: Int, split: Int, blocksPerSM: Int, chunk: Int,
        doubleBuffered: Bool = false, ringStages: Int = 0
    ) {
        self.format = format
        self.warps = warps
        self.vectorWidth = vectorWidth
        self.unroll = unroll
        self.split = split
        self.blocksPerSM = blocksPerSM
        self.chunk = chunk
        self.doubleBuffered = doubleBuffered
        self.ringStages = ringStages
    }

    /// Ring stages the kernel supports (0: none).
    package static let ringChoices = [0, 3, 4]

    /// Entry vector widths the kernel supports.
    package static let vectorWidths = [2, 4, 8]
    /// Loads in flight per lane the kernel supports.
    package static let unrolls = [1, 2, 4]
    /// Row splits the kernel supports.
    package static let splits = [1, 2, 4, 8]
    /// Blocks per SM the grid may be sized for.
    package static let blocksPerSMChoices = [1, 2, 3, 4]
    /// Widest X (columns m) the kernel serves: one fp32 accumulator per column in every lane.
    package static let maxWidth = 32
    /// Staged chunks are whole multiples of this many rows of K, so each chunk starts 16-byte
    /// aligned in X for every element type.
    package static let chunkMultiple = 8

    package var description: String {
        "compact.i\(format.rawValue).w\(warps).v\(vectorWidth).u\(unroll).s\(split).b\(blocksPerSM).k\(chunk)"
            + (doubleBuffered ? ".db1" : "") + (ringStages > 0 ? ".rg\(ringStages)" : "")
    }

    package init(parsing text: String) throws(ConfigError) {
        let fields = try ConfigID.fields(of: text, droppingPrefix: "compact")
        // `.db1` and `.rgN` are the optional fields (absent: single-buffered, no ring, as every id before them).
        let optional = ["db", "rg"].filter { fields[$0] != nil }.count
        guard fields.count == 7 + optional, let i = fields["i"], let format = IndexFormat(rawValue: i),
            let w = fields["w"], let v = fields["v"], let u = fields["u"], let s = fields["s"], let b = fields["b"],
            let k = fields["k"], (fields["db"] ?? 1) == 1, (fields["rg"] ?? 3) > 0
        else { throw .unparsable(text) }
        self.init(
            format: format, warps: w, vectorWidth: v, unroll: u, split: s, blocksPerSM: b, chunk: k, doubleBuffered: fields["db"] == 1,
            ringStages: fields["rg"] ?? 0)
    }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        doubleBuffered ? CompactKernel.renderDoubleBuffered(problem, self, entryPoint: entryPoint)
            : CompactKernel.render(problem, self, entryPoint: entryPoint)
    }

    /// The kernel's parameters: the compact arrays replace CSR's column indices (and, for delta4,
    /// its offsets and values, which count padding entries).
    package func parameters(for problem: SpMMProblem) -> [KernelParameter] {
        let element = ElementCode.pointerKind(problem.elementType)
        var list = [KernelParameter(.rows, kind: .int32), KernelParameter(.columnsOfX, kind: .int32)]
        switch format {
        case .csr16:
            list += [
                KernelParameter(.rowOffsets, kind: .pointerInt32), KernelParameter(.columnIndices16, kind: .pointerUInt16),
                KernelParameter(.values, kind: element),
            ]
        case .delta4:
            list += [
                KernelParameter(.deltaOffsets, kind: .pointerInt32), KernelParameter(.deltaNibbles, kind: .pointerUInt8),
                KernelParameter(.deltaValues, kind: element),
            ]
        }
        list.append(KernelParameter(.x, kind: element))
        if problem.epilogue.hasBias { list.append(KernelParameter(.bias, kind: element)) }
        if problem.epilogue.hasResidual { list.append(KernelParameter(.residual, kind: element)) }
        list.append(KernelParameter(.y, kind: element))
        return list
    }
}
