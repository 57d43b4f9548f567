/// One kernel parameter, in launch order. The launcher binds arguments by ``role``; ``name`` is
/// the C name in the source.
package struct KernelParameter: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the launcher passes: a 32-bit integer by value or a device pointer to elements.
    package enum Kind: String, Sendable, Hashable, Codable {
        case int32
        case pointerF32 = "f32*"
        case pointerF16 = "f16*"
        case pointerBF16 = "bf16*"
        case pointerInt32 = "int32*"
        case pointerUInt16 = "u16*"
        case pointerUInt8 = "u8*"
        case pointerUInt64 = "u64*"
        /// fp32 scratch the kernel reads and writes (not an operand of the element type).
        case scratchF32 = "f32 scratch*"
        /// int32 scratch the kernel reads and writes (counters).
        case scratchInt32 = "int32 scratch*"
    }

    /// Which operand of `Y = W X` (plus epilogue and row order) the parameter carries.
    package enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        /// Rows of W and Y (`n`).
        case rows
        /// Columns of X and Y (`m`).
        case columnsOfX
        /// W's CSR row offsets (`n + 1` entries).
        case rowOffsets
        /// W's CSR column indices.
        case columnIndices
        /// W's CSR values.
        case values
        /// W's 16-bit column indices (``SparseFormats/CSR16Matrix`` with one panel; same order as CSR).
        case columnIndices16
        /// W's delta4 entry offsets (`n + 1`, padding entries included).
        case deltaOffsets
        /// W's delta4 column deltas, two 4-bit nibbles per byte.
        case deltaNibbles
        /// W's delta4 values, padding entries (zeros) included.
        case deltaValues
        /// W's bitmap tile masks (``SparseFormats/BitmapTiledMatrix``, 16 x 16 blocks strip by strip).
        case bitmapMasks
        /// W's bitmap tile value offsets (tiles + 1).
        case bitmapOffsets
        /// W's bitmap values, packed in tile and bit order.
        case bitmapValues
        /// W's 2:4 values (``SparseFormats/TwoFourMatrix``: 256 a 16 x 32 tile, in mma.sp fragment order).
        case twoFourValues
        /// W's 2:4 metadata (16 32-bit words a tile), as bytes.
        case twoFourMetadata
        /// W's fragment-COO block offsets (``SparseFormats/FragmentCOOMatrix``: blocks + 1, 16 x 16 blocks strip by strip).
        case fragmentCOOOffsets
        /// W's fragment-COO positions, one byte a nonzero (its place in the block's A fragment).
        case fragmentCOOPositions
        /// W's fragment-COO values, block by block.
        case fragmentCOOValues
        /// fp32 partial sums of Y's shape that the blocks of a K split add into (zero between launches).
        case splitPartials
        /// One counter per group of a K split's blocks (zero between launches).
        case splitCounters
        /// The dense input X (`k x m`).
        case x
        /// One bias element per row of Y.
        case bias
        /// A tensor of Y's shape added to the output (the bias + residual epilogue).
        case residual
        /// The permutation of rows handed to the kernel's slots.
        case rowOrder
        /// The output Y (`n x m`).
        case y

        /// The parameter's name in generated C.
        package var cName: String {
            switch self {
            case .rows: "n"
            case .columnsOfX: "m"
            case .rowOffsets: "rowOffsets"
            case .columnIndices: "columnIndices"
            case .values: "values"
            case .columnIndices16: "columnIndices16"
            case .deltaOffsets: "deltaOffsets"
            case .deltaNibbles: "deltaNibbles"
            case .deltaValues: "deltaValues"
            case .bitmapMasks: "bitmapMasks"
            case .bitmapOffsets: "bitmapOffsets"
            case .bitmapValues: "bitmapValues"
            case .twoFourValues: "twoFourValues"
            case .twoFourMetadata: "twoFourMetadata"
            case .fragmentCOOOffsets: "fcooOffsets"
            case .fragmentCOOPositions: "fcooPositions"
            case .fragmentCOOValues: "fcooValues"
            case .splitPartials: "splitPartials"
            case .splitCounters: "splitCounters"
            case .x: "x"
            case .bias: "bias"
            case .residual: "residual"
            case .rowOrder: "rowOrder"
            case .y: "y"
            }
        }
    }

    /// The operand this parameter carries.
    package var role: Role
    /// The C name in the generated source.
    package var name: String
    package var kind: Kind
    /// The kernel writes through this pointer (Y); all others are read only.
    package var isOutput: Bool

    /// A parameter named after its role; only ``Role/y`` is written.
    package init(_ role: Role, kind: Kind) {
        self.role = role
        self.name = role.cName
        self.kind = kind
        self.isOutput = role == .y
    }

    package var description: String { "\(name): \(kind.rawValue)\(isOutput ? " (out)" : "")" }
}

extension KernelParameter {
    /// The C declaration of `parameters` (pointers to elements as `elem_t`), one per line.
    static func cList(_ parameters: [KernelParameter]) -> String {
        let declarations = parameters.map { parameter -> String in
            switch parameter.kind {
            case .int32: "const int \(parameter.name)"
            case .pointerInt32: "const int* __restrict__ \(parameter.name)"
            case .pointerUInt16: "const unsigned short* __restrict__ \(parameter.name)"
            case .pointerUInt8: "const unsigned char* __restrict__ \(parameter.name)"
            case .pointerUInt64: "const unsigned long long* __restrict__ \(parameter.name)"
            case .scratchF32: "float* __restrict__ \(parameter.name)"
            case .scratchInt32: "int* __restrict__ \(parameter.name)"
            case .pointerF32, .pointerF16, .pointerBF16:
                parameter.isOutput
                    ? "elem_t* __restrict__ \(parameter.name)" : "const elem_t* __restrict__ \(parameter.name)"
            }
        }
        return "\n    " + declarations.joined(separator: ",\n    ")
    }
}
