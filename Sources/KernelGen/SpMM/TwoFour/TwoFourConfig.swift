import SparseFormats

/// The 2:4 sparse tensor-core kernel's shape (see TwoFourKernel.swift): W in
/// ``SparseFormats/TwoFourMatrix`` (16 x 32 tiles, values in mma.sp A-fragment order and 16
/// metadata words a tile), multiplied by `mma.sp::ordered_metadata.m16n8k32` with X as the B
/// operand; the tensor cores decode the 2-bit indices, so a tile costs a warp one 16-byte and
/// one 4-byte shared load and one mma per 8 columns.
///
/// A block owns `strips` 16-row strips of W and `columns` columns of X (Y); its
/// `strips x slices` warps each walk one strip over one of `slices` equal ranges of K (summed in
/// shared memory at the end). W's tiles and the X rows of each step are staged by `cp.async`,
/// `chunk` tiles per warp per step, in a ring of `stages` steps.
///
/// Id: `sp24.s2.j8.n16.c2.p3` (strips, slices, columns, chunk, stages).
package struct TwoFourConfig: SpMMFamilyConfig {
    /// 16-row strips per block (1, 2, 4 or 8): the strips share each staged step of X.
    package var strips: Int
    /// Ranges of K per strip, one warp each (1, 2, 4, 8 or 16).
    package var slices: Int
    /// Columns of X (and Y) per block: 8, 16, 32 or 64 (mma n-tiles of 8).
    package var columns: Int
    /// 16 x 32 tiles each warp stages per step: 1, 2, 4 or 8.
    package var chunk: Int
    /// Steps in the cp.async ring: 2, 3 or 4.
    package var stages: Int

    package init(strips: Int, slices: Int, columns: Int, chunk: Int, stages: Int) {
        self.strips = strips
        self.slices = slices
        self.columns = columns
        self.chunk = chunk
        self.stages = stages
    }

    /// Strips per block the kernel supports.
    package static let stripChoices = [1, 2, 4, 8]
    /// Slices of K per strip the kernel supports.
    package static let sliceChoices = [1, 2, 4, 8, 16]
    /// Columns of X per block the kernel supports.
    package static let columnChoices = [8, 16, 32, 64]
    /// Tiles per warp per step the kernel supports.
    package static let chunkChoices = [1, 2, 4, 8]
    /// cp.async ring depths the kernel supports.
    package static let stageChoices = [2, 3, 4]

    /// Warps per block.
    package var warps: Int { strips * slices }

    package var description: String {
        "sp24.s\(strips).j\(slices).n\(columns).c\(chunk).p\(stages)"
    }

    package init(parsing text: String) throws(ConfigError) {
        let fields = try ConfigID.fields(of: text, droppingPrefix: "sp24")
        guard fields.count == 5, let s = fields["s"], let j = fields["j"], let n = fields["n"], let c = fields["c"],
            let p = fields["p"]
        else { throw .unparsable(text) }
        self.init(strips: s, slices: j, columns: n, chunk: c, stages: p)
    }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        TwoFourKernel.render(problem, self, entryPoint: entryPoint)
    }

    /// The kernel's parameters: the 2:4 arrays replace CSR's.
    package func parameters(for problem: SpMMProblem) -> [KernelParameter] {
        let element = ElementCode.pointerKind(problem.elementType)
        var list = [
            KernelParameter(.rows, kind: .int32), KernelParameter(.columnsOfX, kind: .int32),
            KernelParameter(.twoFourValues, kind: element), KernelParameter(.twoFourMetadata, kind: .pointerUInt8),
            KernelParameter(.x, kind: element),
        ]
        if problem.epilogue.hasBias { list.append(KernelParameter(.bias, kind: element)) }
        if problem.epilogue.hasResidual { list.append(KernelParameter(.residual, kind: element)) }
        list.append(KernelParameter(.y, kind: element))
        return list
    }
}
