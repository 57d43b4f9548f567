import SparseFormats

/// The 2:4 sparse tensor-core kernel's shape (see TwoFourKernel.swift): W in
/// ``SparseFormats/TwoFourMatrix`` (16 x 32 tiles, values in mma.sp A-fragment order and 16
/// metadata words a tile), multiplied by `mma.sp::ordered_metadata.m16n8k32` with X as the B
/// operand; the tensor cores decode the 2-bit indices, so a tile costs a warp one 16-byte and
/// one 4-byte shared load and one mma per 8 columns. The block, ring and epilogue are the
/// strip/slice skeleton's (``StripSliceConfig``); a unit is one tile, and a warp's W of a step is
/// `chunk` tiles' values (512 B each) then their metadata (64 B each).
///
/// Id: `sp24.s2.j8.n16.c2.p3` (strips, slices, columns, chunk, stages; `.z2` for two K splits).
package struct TwoFourConfig: StripSliceConfig {
    package var knobs: StripSliceKnobs

    package init(knobs: StripSliceKnobs) { self.knobs = knobs }

    package static let prefix = "sp24"
    package static let unitColumns = 32
    package static let stripChoices = [1, 2, 4, 8]
    package static let sliceChoices = [1, 2, 4, 8, 16]
    package static let columnChoices = [8, 16, 32, 64]
    package static let chunkChoices = [1, 2, 4, 8]
    package static let stageChoices = [2, 3, 4]
    package static let splitChoices = [1, 2, 4, 8]

    package static func knobError(field: String, value: Int, allowed: [Int]) -> ConfigError {
        .unsupportedTwoFourKnob(field: field, value: value, allowed: allowed)
    }
    package static func elementError(_ type: ElementType) -> ConfigError { .twoFourNeedsHalfElements(type) }
    package static let rowOrderError = ConfigError.twoFourNeedsIdentityRowOrder

    /// W pruned 2:4 along its rows.
    package func validateFamily(for problem: SpMMProblem) throws(ConfigError) {
        guard problem.twoFour else { throw .twoFourNeedsTwoFourWeights }
    }

    /// Bytes of one tile: 256 values of 2 bytes and 16 metadata words.
    static let tileBytes = 512 + 64

    /// Bytes of one warp's W in one step.
    package func wStepBytes(_ problem: SpMMProblem) -> Int { chunk * Self.tileBytes }

    /// Registers the kernel needs (a lower bound): 4 fp32 accumulators per n-tile of 8 columns,
    /// plus about 40 for the A and B fragments, the metadata, addresses and loop state.
    package var estimatedRegisters: Int { 40 + columns / 2 }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        TwoFourKernel.render(problem, self, entryPoint: entryPoint)
    }

    /// The kernel's parameters: the 2:4 arrays replace CSR's.
    package func parameters(for problem: SpMMProblem) -> [KernelParameter] {
        stripSliceParameters(for: problem, w: [
            KernelParameter(.twoFourValues, kind: ElementCode.pointerKind(problem.elementType)),
            KernelParameter(.twoFourMetadata, kind: .pointerUInt8),
        ])
    }
}
