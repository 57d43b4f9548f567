import SparseFormats

/// The specialised (SparseRT-style) kernel's shape: W's pattern is written into the source, one
/// straight-line code path per group of `rowsPerBlock` rows (see SpecialisedKernel.swift).
///
/// Id: `spec.r4.t64.v1.c1.o1`: rows per block, threads per block along the columns of Y, elements
/// per thread and load, values as constants (`c1`) or read from the packed values array (`c0`),
/// rows in their own order (`o0`) or grouped by shared columns (`o1`, ``RowOrder/locality(_:groupSize:window:)``
/// with the group size `rowsPerBlock`).
///
/// Unlike every other family the source depends on W itself (its column indices, and its values
/// with `c1`), so it is rendered through ``KernelGen/render(_:_:pattern:)`` and compiled once per
/// matrix; the kernel cache finds it again by its source, which names the pattern digest.
package struct SpecialisedConfig: SpMMFamilyConfig {
    /// How W's values reach the kernel.
    package enum Values: Int, Sendable, Hashable, Codable, CaseIterable {
        /// Read from the CSR values array at constant positions (a uniform, broadcast load per nonzero).
        case array = 0
        /// Written into the source as fp32 constants (rounded to the element type first).
        case constant = 1
    }

    /// Output rows one block computes (1, 2, 4, 8 or 16): the unit of code a block runs.
    package var rowsPerBlock: Int
    /// Threads per block, along the columns of Y (32, 64, 128 or 256).
    package var threads: Int
    /// Columns of Y per thread, loaded and stored as one vector (1, 2, 4; 8 for 16-bit types).
    package var vectorWidth: Int
    package var values: Values
    /// Group rows by shared columns before cutting them into blocks.
    package var localityOrder: Bool

    package init(rowsPerBlock: Int, threads: Int, vectorWidth: Int, values: Values, localityOrder: Bool) {
        self.rowsPerBlock = rowsPerBlock
        self.threads = threads
        self.vectorWidth = vectorWidth
        self.values = values
        self.localityOrder = localityOrder
    }

    /// The id's first part.
    package static let prefix = "spec"

    package var description: String {
        "\(Self.prefix).r\(rowsPerBlock).t\(threads).v\(vectorWidth).c\(values.rawValue).o\(localityOrder ? 1 : 0)"
    }

    package init(parsing text: String) throws(ConfigError) {
        let fields = try ConfigID.fields(of: text, droppingPrefix: Self.prefix)
        guard fields.count == 5, let r = fields["r"], let t = fields["t"], let v = fields["v"],
            let c = fields["c"].flatMap(Values.init(rawValue:)), let o = ConfigID.flag(fields["o"])
        else { throw .unparsable(text) }
        self.init(rowsPerBlock: r, threads: t, vectorWidth: v, values: c, localityOrder: o)
    }

    package var threadsPerBlock: Int { threads }

    package var blockDimensions: LaunchDimensions { LaunchDimensions(x: threads) }

    /// `x` over row groups (the code path a block takes), `y` over tiles of `threads x vectorWidth` columns.
    package func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions {
        LaunchDimensions(
            x: LaunchDimensions.blocks(problem.n, rowsPerBlock),
            y: LaunchDimensions.blocks(problem.m, threads * vectorWidth))
    }

    /// None: every operand is read straight from global memory (W from the instruction stream).
    package func sharedMemoryBytes(for problem: SpMMProblem) -> Int { 0 }

    package var minimumComputeCapability: ComputeCapability { ComputeCapability(major: 7, minor: 0) }

    /// Only ``KernelGen/render(_:_:pattern:)`` renders this family (the source needs W).
    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        preconditionFailure("the specialised family renders through KernelGen.render(_:_:pattern:)")
    }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String, pattern: CSRMatrix<Float>?) throws(ConfigError) -> String {
        guard let pattern else { throw .specialised(.needsPattern) }
        try SpecialisedRules.check(pattern: pattern, problem: problem)
        return SpecialisedKernel.render(problem, self, pattern: pattern, entryPoint: entryPoint)
    }

    /// The parameters: no index arrays and no sizes (both are constants in the source); the
    /// values array only with ``Values/array``.
    package func parameters(for problem: SpMMProblem) -> [KernelParameter] {
        let element = ElementCode.pointerKind(problem.elementType)
        var list: [KernelParameter] = []
        if values == .array { list.append(KernelParameter(.values, kind: element)) }
        list.append(KernelParameter(.x, kind: element))
        if problem.epilogue.hasBias { list.append(KernelParameter(.bias, kind: element)) }
        if problem.epilogue.hasResidual { list.append(KernelParameter(.residual, kind: element)) }
        list.append(KernelParameter(.y, kind: element))
        return list
    }
}
