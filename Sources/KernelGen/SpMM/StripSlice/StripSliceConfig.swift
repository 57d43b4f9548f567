import SparseFormats

/// What the tensor-core SpMM families that stream W strip by strip share (bitmap, 2:4; see
/// StripSliceKernel.swift): a block owns `strips` 16-row strips of W and `columns` columns of X
/// (Y); its `strips x slices` warps each walk one strip over one of `slices` equal ranges of the
/// block's K range; W's units and the X rows of each step go through a `cp.async` ring of `stages`
/// steps, `chunk` units of W per warp per step. With `splits` Z > 1, K is also cut into Z ranges
/// over the grid's z dimension, whose blocks sum their partials in a workspace (the last one to
/// finish writes Y). A family adds its unit of W (``unitColumns`` columns of a strip, its bytes,
/// its expansion into mma operands) and its error cases.
///
/// Id: `<prefix>.s<strips>.j<slices>.n<columns>.c<chunk>.p<stages>`, then `.z<splits>` when
/// splits > 1.
package protocol StripSliceConfig: SpMMFamilyConfig {
    /// The id's first part (`bitmap`, `sp24`).
    static var prefix: String { get }
    /// K columns of one unit of W (a bitmap 16 x 16 block, a 2:4 16 x 32 tile).
    static var unitColumns: Int { get }
    static var stripChoices: [Int] { get }
    static var sliceChoices: [Int] { get }
    static var columnChoices: [Int] { get }
    static var chunkChoices: [Int] { get }
    static var stageChoices: [Int] { get }
    static var splitChoices: [Int] { get }
    /// The error for a knob outside the family's values.
    static func knobError(field: String, value: Int, allowed: [Int]) -> ConfigError
    /// The error for an element type other than fp16 / bf16.
    static func elementError(_ type: ElementType) -> ConfigError
    /// The error for a permuted row order.
    static var rowOrderError: ConfigError { get }

    /// The shape's knobs (their values: the family's choices above).
    var knobs: StripSliceKnobs { get set }
    /// Bytes of one warp's W in one step of `problem` (a multiple of 16).
    func wStepBytes(_ problem: SpMMProblem) -> Int
    /// Registers a thread needs, a lower bound (for the budget).
    var estimatedRegisters: Int { get }
    /// Bytes of shared memory each warp keeps beside the ring for the whole walk (default 0).
    var warpScratchBytes: Int { get }

    init(knobs: StripSliceKnobs)

    /// A rule of the family beyond the shared ones (default: none).
    func validateFamily(for problem: SpMMProblem) throws(ConfigError)
}

/// The knobs every strip/slice family has; each family's allowed values are its `...Choices`.
package struct StripSliceKnobs: Sendable, Hashable, Codable {
    /// 16-row strips per block: the strips share each staged step of X.
    package var strips: Int
    /// Ranges of K per strip, one warp each.
    package var slices: Int
    /// Columns of X (and Y) per block (mma n-tiles of 8; X's columns are padded to 8).
    package var columns: Int
    /// Units of W each warp stages per step.
    package var chunk: Int
    /// Steps in the cp.async ring.
    package var stages: Int
    /// Ranges of K over the grid, summed in a workspace.
    package var splits: Int
}

extension StripSliceConfig {
    package init(strips: Int, slices: Int, columns: Int, chunk: Int, stages: Int, splits: Int = 1) {
        self.init(knobs: StripSliceKnobs(strips: strips, slices: slices, columns: columns, chunk: chunk, stages: stages, splits: splits))
    }

    package var strips: Int {
        get { knobs.strips }
        set { knobs.strips = newValue }
    }
    package var slices: Int {
        get { knobs.slices }
        set { knobs.slices = newValue }
    }
    package var columns: Int {
        get { knobs.columns }
        set { knobs.columns = newValue }
    }
    package var chunk: Int {
        get { knobs.chunk }
        set { knobs.chunk = newValue }
    }
    package var stages: Int {
        get { knobs.stages }
        set { knobs.stages = newValue }
    }
    package var splits: Int {
        get { knobs.splits }
        set { knobs.splits = newValue }
    }

    package func validateFamily(for problem: SpMMProblem) throws(ConfigError) {}
    package var warpScratchBytes: Int { 0 }

    /// Warps per block.
    package var warps: Int { strips * slices }

    package var description: String {
        "\(Self.prefix).s\(strips).j\(slices).n\(columns).c\(chunk).p\(stages)" + (splits > 1 ? ".z\(splits)" : "")
    }

    /// Reads ``description`` back.
    package init(parsing text: String) throws(ConfigError) {
        let fields = try ConfigID.fields(of: text, droppingPrefix: Self.prefix)
        guard fields.count == 5 || (fields.count == 6 && fields["z"] != nil), let s = fields["s"], let j = fields["j"],
            let n = fields["n"], let c = fields["c"], let p = fields["p"]
        else { throw .unparsable(text) }
        self.init(strips: s, slices: j, columns: n, chunk: c, stages: p, splits: fields["z"] ?? 1)
    }

    // Launch layout and shared memory. Per step of the ring (`stages` of them):
    //
    //   [per warp: the family's W of the step (wStepBytes)]
    //   [per slice: the X rows of its step: a tile (m a multiple of 8) or whole rows (any m)]
    //
    // then, after the `stages` steps, each warp's scratch (warpScratchBytes, 16-byte aligned).
    // After the last step the same memory holds the fp32 partial sums of every warp (16 x columns each).

    /// Threads per block.
    package var threadsPerBlock: Int { warps * 32 }

    /// One dimension: `x` is the thread index, warps are consecutive 32-thread groups.
    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: threadsPerBlock) }

    /// mma on bf16 and cp.async: Ampere and later.
    package var minimumComputeCapability: ComputeCapability { ComputeCapability(major: 8, minor: 0) }

    /// 16-row strips of W.
    func stripCount(for problem: SpMMProblem) -> Int { (problem.n + 15) / 16 }

    /// Units of W per strip.
    func unitsPerStrip(for problem: SpMMProblem) -> Int { (problem.k + Self.unitColumns - 1) / Self.unitColumns }

    /// `x`: column tiles of X (fastest, so the blocks of one strip group run together and W is read
    /// from memory once); `y`: groups of `strips` strips; `z`: the K splits.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        LaunchDimensions(
            x: LaunchDimensions.blocks(problem.m, columns), y: LaunchDimensions.blocks(stripCount(for: problem), strips), z: splits)
    }

    /// X is staged as a tile of `columns` 16-byte-aligned columns when m is a multiple of 8
    /// (cp.async of whole 16-byte pieces of a row), else as whole rows copied as one run.
    func stagesXAsTile(_ problem: SpMMProblem) -> Bool { problem.m % 8 == 0 }

    /// Bytes of one staged row of the X tile: 2 x columns, unpadded (the kernel swizzles the rows'
    /// 16-byte pieces so that the 8 rows one ldmatrix reads fall in 8 different bank groups).
    var xRowBytes: Int { columns * 2 }

    /// Bytes of one slice's X in one step.
    func xStepBytes(_ problem: SpMMProblem) -> Int {
        let rows = Self.unitColumns * chunk
        return stagesXAsTile(problem) ? rows * xRowBytes : (rows * problem.m * 2 + 32 + 15) / 16 * 16
    }

    /// Bytes of one step of the ring.
    func stepBytes(_ problem: SpMMProblem) -> Int { warps * wStepBytes(problem) + slices * xStepBytes(problem) }

    /// Static shared memory of a kernel with K splits over the grid (its 4-byte last-block flag,
    /// counted as 16 for the compiler's alignment): it counts against the same per-block limit as
    /// the dynamic bytes (a config at the limit without it failed to launch on the H200).
    static var splitStaticBytes: Int { 16 }

    /// `bytes` rounded up to a multiple of 16.
    static func whole16(_ bytes: Int) -> Int { (bytes + 15) / 16 * 16 }

    /// Bytes of the partial sums: 16 x columns fp32 per warp.
    var partialBytes: Int { warps * 16 * columns * 4 }

    /// The ring and the warps' scratch, or the partial sums when larger.
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int {
        max(stages * stepBytes(problem) + warps * warpScratchBytes, partialBytes)
    }

    /// Legality, in order: knob values, block shape, architecture (mma on bf16 and cp.async need
    /// 8.0), element type (16-bit), the family's rule, row order, registers, shared memory, grid,
    /// and no more splits than units of K.
    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        func knob(_ field: String, _ value: Int, _ allowed: [Int]) throws(ConfigError) {
            guard allowed.contains(value) else { throw Self.knobError(field: field, value: value, allowed: allowed) }
        }
        try knob("strips", strips, Self.stripChoices)
        try knob("slices", slices, Self.sliceChoices)
        try knob("columns", columns, Self.columnChoices)
        try knob("chunk", chunk, Self.chunkChoices)
        try knob("stages", stages, Self.stageChoices)
        try knob("splits", splits, Self.splitChoices)
        let device = problem.device
        try BlockRules.checkThreads(threadsPerBlock, device: device)
        guard device.computeCapability >= minimumComputeCapability else { throw .asyncCopyNeedsSM80(device.computeCapability) }
        guard problem.elementType == .f16 || problem.elementType == .bf16 else { throw Self.elementError(problem.elementType) }
        try validateFamily(for: problem)
        guard problem.rowOrdering == .identity else { throw Self.rowOrderError }
        let budget = min(BlockRules.maxRegistersPerThread, device.registersPerMultiprocessor / max(1, threadsPerBlock) / 8 * 8)
        guard estimatedRegisters <= budget else {
            throw .registerBudgetExceeded(threads: threadsPerBlock, budget: budget, needed: estimatedRegisters)
        }
        // The dynamic shared memory, and the K split's static flag (the block's share of the opt-in limit).
        let bytes = sharedMemoryBytes(for: problem) + (splits > 1 ? Self.splitStaticBytes : 0)
        guard bytes <= device.maxSharedMemoryPerBlockOptIn else {
            throw .sharedMemoryExceedsOptIn(bytes: bytes, limit: device.maxSharedMemoryPerBlockOptIn)
        }
        try BlockRules.checkGrid(gridDimensions(for: problem), device: device)
        guard splits == 1 || splits <= unitsPerStrip(for: problem) else {
            throw .splitsExceedUnits(splits: splits, units: unitsPerStrip(for: problem))
        }
    }
}

extension StripSliceConfig {
    /// The kernel's parameters: n, m, the family's arrays of W (`w`), X, the epilogue's operands,
    /// the split workspace (splits > 1) and Y.
    func stripSliceParameters(for problem: SpMMProblem, w: [KernelParameter]) -> [KernelParameter] {
        var list = [KernelParameter(.rows, kind: .int32), KernelParameter(.columnsOfX, kind: .int32)] + w
        list.append(KernelParameter(.x, kind: ElementCode.pointerKind(problem.elementType)))
        if problem.epilogue.hasBias { list.append(KernelParameter(.bias, kind: ElementCode.pointerKind(problem.elementType))) }
        if problem.epilogue.hasResidual { list.append(KernelParameter(.residual, kind: ElementCode.pointerKind(problem.elementType))) }
        if splits > 1 {
            list.append(KernelParameter(.splitPartials, kind: .scratchF32))
            list.append(KernelParameter(.splitCounters, kind: .scratchInt32))
        }
        list.append(KernelParameter(.y, kind: ElementCode.pointerKind(problem.elementType)))
        return list
    }
}
