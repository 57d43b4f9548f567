import SparseFormats

/// The bitmap tensor-core kernel's shape (see BitmapKernel.swift): W in
/// ``SparseFormats/BitmapTiledMatrix`` (16 x 16 blocks of four 8 x 8 tile masks, strip by strip),
/// expanded by each warp straight into mma.sync m16n8k16 A fragments; X the B operand. The block,
/// ring and epilogue are the strip/slice skeleton's (``StripSliceConfig``); a unit is one 16 x 16
/// block, and a warp's W of a step is `chunk` blocks' masks (32 B each) and values (at most 2 B
/// times the matrix's fullest block each), copied from the values' start rounded down to 16 bytes.
///
/// Id: `bitmap.s1.j8.n16.c4.p3` (strips, slices, columns, chunk, stages; `.z2` for two K splits).
package struct BitmapConfig: StripSliceConfig {
    package var knobs: StripSliceKnobs

    package init(knobs: StripSliceKnobs) { self.knobs = knobs }

    package static let prefix = "bitmap"
    package static let unitColumns = 16
    package static let stripChoices = [1, 2, 4]
    package static let sliceChoices = [1, 2, 4, 8, 16]
    package static let columnChoices = [8, 16, 32, 64]
    package static let chunkChoices = [2, 4, 8]
    package static let stageChoices = [2, 3, 4]
    package static let splitChoices = [1, 2, 4]

    package static func knobError(field: String, value: Int, allowed: [Int]) -> ConfigError {
        .unsupportedBitmapKnob(field: field, value: value, allowed: allowed)
    }
    package static func elementError(_ type: ElementType) -> ConfigError { .bitmapNeedsHalfElements(type) }
    package static let rowOrderError = ConfigError.bitmapNeedsIdentityRowOrder

    /// Bytes of one warp's W in one step: 4 masks per block, and the values of `chunk` blocks (2
    /// bytes each, at most the problem's ``SpMMProblem/maxBlockEntries`` a block) rounded up to 16,
    /// plus 16 bytes for their start rounded down to 16.
    package func wStepBytes(_ problem: SpMMProblem) -> Int {
        chunk * 32 + Self.whole16(2 * chunk * problem.maxBlockEntries) + 16
    }

    /// Registers the kernel needs: 4 fp32 accumulators per n-tile of 8 columns, plus about 56 for
    /// the A fragment, masks, addresses and loop state (see the compile test's register report).
    package var estimatedRegisters: Int { 56 + columns / 2 }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        BitmapKernel.render(problem, self, entryPoint: entryPoint)
    }

    /// The kernel's parameters: the bitmap arrays replace CSR's.
    package func parameters(for problem: SpMMProblem) -> [KernelParameter] {
        stripSliceParameters(for: problem, w: [
            KernelParameter(.bitmapMasks, kind: .pointerUInt64), KernelParameter(.bitmapOffsets, kind: .pointerInt32),
            KernelParameter(.bitmapValues, kind: ElementCode.pointerKind(problem.elementType)),
        ])
    }
}
