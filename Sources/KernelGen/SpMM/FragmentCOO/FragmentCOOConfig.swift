import SparseFormats

/// The fragment-COO tensor-core kernel's shape (see FragmentCOOKernel.swift): W in
/// ``SparseFormats/FragmentCOOMatrix`` (16 x 16 blocks strip by strip, each nonzero a value and
/// its byte position in the block's mma.sync m16n8k16 A fragment), scattered by each warp into
/// zeroed fragments in shared memory; X the B operand. The block, ring and epilogue are the
/// strip/slice skeleton's (``StripSliceConfig``); a unit is one 16 x 16 block, and a warp's W of a
/// step is `chunk` blocks' offsets, values and positions.
///
/// Id: `fcoo.s1.j8.n16.c4.p3` (strips, slices, columns, chunk, stages; `.z2` for two K splits).
package struct FragmentCOOConfig: StripSliceConfig {
    package var knobs: StripSliceKnobs

    package init(knobs: StripSliceKnobs) { self.knobs = knobs }

    package static let prefix = "fcoo"
    package static let unitColumns = 16
    /// Up to 8 strips: the block's strips share each staged step of X. Measured (H200, 2026-12-02,
    /// docs/perf/2026-12-02-h200-session17-fcoo, call 2): `s8.j4.n16.c8.p3` was the fastest on
    /// 14336x4096 at n = 16. Eight K splits were tried there too and won no problem (ncu, 11008x4096
    /// at n = 16: twice the warps an SM, yet 44 against 36 us, the L1 pipe as busy), so splits stay at most 4.
    package static let stripChoices = [1, 2, 4, 8]
    package static let sliceChoices = [1, 2, 4, 8, 16]
    package static let columnChoices = [8, 16, 32, 64]
    /// Up to 16: a step's fixed cost (its copies' set-up, the ring's wait and barrier) is shared by
    /// more blocks, and the scratch does not grow with the chunk (two fragments a warp). Chunk 16 won
    /// 5 of the 8 llm problems at 0.9, n = 8 and 16 (same record, call 1).
    package static let chunkChoices = [2, 4, 8, 16]
    /// Up to 6: deep rings pay at high sparsity, where a step's slots are small.
    package static let stageChoices = [2, 3, 4, 6]
    package static let splitChoices = [1, 2, 4]

    package static func knobError(field: String, value: Int, allowed: [Int]) -> ConfigError {
        .unsupportedFragmentCOOKnob(field: field, value: value, allowed: allowed)
    }
    package static func elementError(_ type: ElementType) -> ConfigError { .fragmentCOONeedsHalfElements(type) }
    package static let rowOrderError = ConfigError.fragmentCOONeedsIdentityRowOrder

    /// Bytes of a step's block offsets (chunk + 1 of 4 bytes), rounded up to 16.
    var headerBytes: Int { (4 * (chunk + 1) + 15) / 16 * 16 }

    /// Bytes of a step's values region: `chunk` blocks of at most the problem's
    /// ``SpMMProblem/maxBlockEntries`` values (2 bytes), rounded up to 16, plus 16 bytes for the
    /// run's start rounded down to 16.
    func valueBytes(_ problem: SpMMProblem) -> Int { Self.whole16(2 * chunk * problem.maxBlockEntries) + 16 }

    /// Bytes of one warp's W in one step: the offsets, the values, then the positions (1 byte each,
    /// rounded up and padded as the values).
    package func wStepBytes(_ problem: SpMMProblem) -> Int {
        headerBytes + valueBytes(problem) + Self.whole16(chunk * problem.maxBlockEntries) + 16
    }

    /// Each warp's two fragments of 512 bytes (a step's units alternate between them).
    package var warpScratchBytes: Int { 1024 }

    /// Registers the kernel needs: 4 fp32 accumulators per n-tile of 8 columns, plus about 40 for
    /// the A fragment, addresses and loop state.
    package var estimatedRegisters: Int { 40 + columns / 2 }

    package func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String {
        FragmentCOOKernel.render(problem, self, entryPoint: entryPoint)
    }

    /// The kernel's parameters: the fragment-COO arrays replace CSR's.
    package func parameters(for problem: SpMMProblem) -> [KernelParameter] {
        stripSliceParameters(for: problem, w: [
            KernelParameter(.fragmentCOOOffsets, kind: .pointerInt32), KernelParameter(.fragmentCOOPositions, kind: .pointerUInt8),
            KernelParameter(.fragmentCOOValues, kind: ElementCode.pointerKind(problem.elementType)),
        ])
    }
}
