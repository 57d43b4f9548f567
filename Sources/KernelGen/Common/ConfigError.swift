import SparseFormats

/// A config that cannot run a problem on a device; each case states the rule it breaks.
package enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The subwarp (threads per output row) must be 4, 8, 16 or 32 so it never straddles a warp.
    case unsupportedSubwarpSize(Int)
    /// A count that must be at least 1 is not.
    case nonPositive(field: String, value: Int)
    /// Threads per block must be a multiple of the warp size.
    case threadsNotWarpMultiple(threads: Int, warpSize: Int)
    /// Threads per block must not exceed the device's limit.
    case tooManyThreads(threads: Int, limit: Int)
    /// Simple and xTile kernels carry no `__launch_bounds__`, so a thread may use up to 255
    /// registers and the block must fit the register file at that rate.
    case registerFileExceeded(threads: Int, limit: Int)
    /// A tiled block above 256 threads declares `__launch_bounds__` for 1024 resident threads,
    /// which leaves 64 registers per thread; the tile's accumulators and X values in flight
    /// (``TiledConfig/estimatedRegisters``) must fit them.
    case registerBudgetExceeded(threads: Int, budget: Int, needed: Int)
    /// Dense vector width must be 1, 2, 4 (or 8 for 16-bit types): at most 16 bytes per access.
    case unsupportedVectorWidth(width: Int, elementType: ElementType)
    /// M must be a multiple of the vector width, or rows of X and Y are not vector-aligned.
    case vectorWidthMisaligned(width: Int, m: Int)
    /// The tile must be a positive multiple of vectorWidth x subwarpSize (whole vectors per lane).
    case tileNotMultiple(tile: Int, vectorWidth: Int, subwarpSize: Int)
    /// Accumulators per thread (tileWidth / subwarpSize) are capped to keep them in registers.
    case tooManyAccumulators(perThread: Int, limit: Int)
    /// The chunk must be a positive multiple of the subwarp size (equal staging work per lane).
    case chunkNotMultipleOfSubwarp(chunk: Int, subwarpSize: Int)
    /// `cp.async` double buffering needs compute capability 8.0 or later.
    case asyncCopyNeedsSM80(ComputeCapability)
    /// `cp.async` moves 4, 8 or 16 bytes; each lane's staging vector of values is narrower.
    case asyncCopyTooNarrow(bytes: Int)
    /// Shared memory per block must fit the device's default per-block limit.
    case sharedMemoryExceeded(bytes: Int, limit: Int)
    /// A grid dimension exceeds the device's limit.
    case gridTooLarge(dimension: String, blocks: Int, limit: Int)
    /// A row is split over 1, 2, 4, 8 or 16 subwarps (a power of two keeps the reduction simple).
    case unsupportedRowSplit(Int)
    /// A tiled thread issues the X loads of 1, 2, 4 or 8 staged nonzeros at once (0: the rule).
    case unsupportedUnroll(Int)
    /// Splitting a row more ways than its longest row has chunks leaves subwarps with nothing to
    /// stage: rowSplit must not exceed max(1, ceil(maxRowLength / chunkSize)).
    case rowSplitExceedsChunks(rowSplit: Int, maxRowLength: Int, chunkSize: Int, limit: Int)
    /// X-tiled double buffering copies X in dense vectors with `cp.async`, which moves 4, 8 or 16 bytes.
    case xTileAsyncCopyTooNarrow(bytes: Int)
    /// X-tiled shared memory (the staged X chunks) must fit the device's opt-in per-block limit
    /// (`cudaFuncAttributeMaxDynamicSharedMemorySize`; 227 KiB on sm_90, 163 KiB on sm_80).
    case sharedMemoryExceedsOptIn(bytes: Int, limit: Int)
    /// A compact-family knob outside the values its kernel is written for.
    case unsupportedCompactKnob(field: String, value: Int, allowed: [Int])
    /// A delta4 row cannot be split: an entry's column is the running sum of its row's deltas
    /// from the row's start, which a warp starting mid-row does not know.
    case compactDeltaSplit(Int)
    /// Compact chunks of X are whole multiples of 8 rows of K (16-byte aligned in X).
    case compactChunkNotMultiple(chunk: Int, multiple: Int)
    /// The compact kernel keeps one fp32 accumulator per column of X in every lane.
    case compactWidthTooLarge(m: Int, limit: Int)
    /// The compact kernel reads CSR16 with one panel: K must fit a 16-bit index.
    case compactColumnsExceedPanel(k: Int, panel: Int)
    /// The compact kernel assigns rows to blocks in order; it takes no row permutation.
    case compactNeedsIdentityRowOrder
    /// The compact kernel's double-buffered walk reads rows whole (split 1) with all of X
    /// staged at once (one chunk: chunk >= K).
    case compactDoubleBufferNeedsWholeRows(split: Int, chunks: Int)
    /// The compact kernel's cp.async ring copies a lane's 16-byte value vector and 4-byte nibble word.
    case compactRingNeedsDelta4Vectors(format: Int, vectorWidth: Int, elementBytes: Int, doubleBuffered: Bool)
    /// The specialised family cannot write this kernel (too large, no matrix, another matrix).
    case specialised(SpecialisedRefusal)
    /// A bitmap-family knob outside the values its kernel is written for.
    case unsupportedBitmapKnob(field: String, value: Int, allowed: [Int])
    /// The bitmap kernel multiplies on fp16 / bf16 tensor cores (mma.sync m16n8k16).
    case bitmapNeedsHalfElements(ElementType)
    /// The bitmap kernel assigns 16-row strips to blocks in order; it takes no row permutation.
    case bitmapNeedsIdentityRowOrder
    /// A 2:4-family knob outside the values its kernel is written for.
    case unsupportedTwoFourKnob(field: String, value: Int, allowed: [Int])
    /// The 2:4 kernel multiplies on fp16 / bf16 sparse tensor cores (mma.sp m16n8k32).
    case twoFourNeedsHalfElements(ElementType)
    /// The 2:4 kernel needs W with at most 2 entries in every run of 4 columns (``SpMMProblem/twoFour``).
    case twoFourNeedsTwoFourWeights
    /// The 2:4 kernel assigns 16-row strips to blocks in order; it takes no row permutation.
    case twoFourNeedsIdentityRowOrder
    /// A fragment-COO-family knob outside the values its kernel is written for.
    case unsupportedFragmentCOOKnob(field: String, value: Int, allowed: [Int])
    /// The fragment-COO kernel multiplies on fp16 / bf16 tensor cores (mma.sync m16n8k16).
    case fragmentCOONeedsHalfElements(ElementType)
    /// The fragment-COO kernel assigns 16-row strips to blocks in order; it takes no row permutation.
    case fragmentCOONeedsIdentityRowOrder
    /// More K splits than units of K in a strip (a split would hold none).
    case splitsExceedUnits(splits: Int, units: Int)
    /// The config's row-order knob asks for one order, the problem's operands were prepared with
    /// another (the kernel reads one permutation).
    case rowOrderConflict(config: RowOrdering, problem: RowOrdering)
    /// Text that is not a config description.
    case unparsable(String)

    package var description: String {
        switch self {
        case let .unsupportedSubwarpSize(size):
            "subwarp size \(size) is not one of 4, 8, 16, 32 (a subwarp must divide the warp)"
        case let .nonPositive(field, value):
            "\(field) = \(value) must be at least 1"
        case let .threadsNotWarpMultiple(threads, warpSize):
            "threads per block \(threads) (rows per block x row split x subwarp size) is not a multiple of the warp size \(warpSize)"
        case let .tooManyThreads(threads, limit):
            "threads per block \(threads) exceeds the device limit \(limit)"
        case let .registerFileExceeded(threads, limit):
            "threads per block \(threads) x 255 registers exceed the register file; kernels have no "
                + "__launch_bounds__, so at most \(limit) threads per block"
        case let .registerBudgetExceeded(threads, budget, needed):
            "threads per block \(threads) leave \(budget) registers per thread (__launch_bounds__), "
                + "fewer than the \(needed) this tile needs: use fewer threads or fewer columns per lane"
        case let .unsupportedVectorWidth(width, elementType):
            "vector width \(width) is not allowed for \(elementType.rawValue): use 1, 2, 4"
                + (elementType.byteWidth == 2 ? " or 8" : "") + " (at most 16 bytes per access)"
        case let .vectorWidthMisaligned(width, m):
            "vector width \(width) does not divide m = \(m): rows of X and Y would not be \(width)-element aligned"
        case let .tileNotMultiple(tile, vectorWidth, subwarpSize):
            "tile width \(tile) is not a positive multiple of vector width x subwarp size = \(vectorWidth) x \(subwarpSize)"
        case let .tooManyAccumulators(perThread, limit):
            "\(perThread) accumulators per thread (tile width / subwarp size) exceed the limit \(limit)"
        case let .chunkNotMultipleOfSubwarp(chunk, subwarpSize):
            "chunk size \(chunk) is not a positive multiple of the subwarp size \(subwarpSize)"
        case let .asyncCopyNeedsSM80(capability):
            "double buffering uses cp.async, which needs compute capability 8.0 or later (device has \(capability))"
        case let .asyncCopyTooNarrow(bytes):
            "double buffering stages \(bytes)-byte value vectors per lane; cp.async needs 4, 8 or 16 (use chunk >= 2 x subwarp)"
        case let .sharedMemoryExceeded(bytes, limit):
            "shared memory \(bytes) bytes per block exceeds the limit \(limit)"
        case let .gridTooLarge(dimension, blocks, limit):
            "grid \(dimension) would need \(blocks) blocks, above the limit \(limit)"
        case let .unsupportedUnroll(unroll):
            "unroll \(unroll) is not supported: use 0 (automatic), 1, 2, 4 or 8"
        case let .unsupportedRowSplit(split):
            "row split \(split) is not one of 1, 2, 4, 8, 16"
        case let .rowSplitExceedsChunks(split, longest, chunk, limit):
            "row split \(split) exceeds the chunks of the longest row: max(1, ceil(\(longest) / \(chunk))) = \(limit) "
                + "(more subwarps per row would have nothing to multiply)"
        case let .xTileAsyncCopyTooNarrow(bytes):
            "double buffering copies X in \(bytes)-byte vectors; cp.async needs 4, 8 or 16 (use vector width >= 2 for 16-bit types)"
        case let .sharedMemoryExceedsOptIn(bytes, limit):
            "shared memory \(bytes) bytes per block (staged X chunks) exceeds the device's opt-in limit \(limit)"
        case let .unsupportedCompactKnob(field, value, allowed):
            "\(field) = \(value) is not one the compact kernel supports: use one of \(allowed.map(String.init).joined(separator: ", "))"
        case let .compactDeltaSplit(split):
            "row split \(split) with delta4 indices: a delta4 row cannot be split (columns are running sums from the row's start); use split 1"
        case let .compactChunkNotMultiple(chunk, multiple):
            "chunk \(chunk) is not a positive multiple of \(multiple) rows of K (staged X chunks must start 16-byte aligned)"
        case let .compactWidthTooLarge(m, limit):
            "m = \(m) exceeds the compact kernel's limit \(limit) (one fp32 accumulator per column of X in every lane)"
        case let .compactColumnsExceedPanel(k, panel):
            "k = \(k) exceeds the \(panel) columns a 16-bit index addresses (the compact kernel reads CSR16 with one panel)"
        case .compactNeedsIdentityRowOrder:
            "the compact kernel takes rows in order: use the identity row ordering"
        case let .compactRingNeedsDelta4Vectors(format, vectorWidth, elementBytes, doubleBuffered):
            "the compact kernel's cp.async ring (.rg3, .rg4) needs the double-buffered walk (.db1) over delta4 (i4) with "
                + "8-entry vectors (v8) of 2-byte values; this config has i\(format), v\(vectorWidth), \(elementBytes)-byte values"
                + (doubleBuffered ? "" : " and no .db1")
        case let .compactDoubleBufferNeedsWholeRows(split, chunks):
            "the double-buffered compact walk needs split 1 and one chunk of X (chunk >= K); "
                + "this config has split \(split) and \(chunks) chunks"
        case let .unsupportedBitmapKnob(field, value, allowed):
            "\(field) = \(value) is not one the bitmap kernel supports: use one of \(allowed.map(String.init).joined(separator: ", "))"
        case let .bitmapNeedsHalfElements(type):
            "the bitmap kernel multiplies on fp16 / bf16 tensor cores (mma.sync m16n8k16); \(type.rawValue) is not supported"
        case .bitmapNeedsIdentityRowOrder:
            "the bitmap kernel takes rows in order: use the identity row ordering"
        case let .unsupportedTwoFourKnob(field, value, allowed):
            "\(field) = \(value) is not one the 2:4 kernel supports: use one of \(allowed.map(String.init).joined(separator: ", "))"
        case let .twoFourNeedsHalfElements(type):
            "the 2:4 kernel multiplies on fp16 / bf16 sparse tensor cores (mma.sp m16n8k32); \(type.rawValue) is not supported"
        case .twoFourNeedsTwoFourWeights:
            "the 2:4 kernel needs W pruned 2:4 along its rows (at most 2 entries in every 4 columns from column 0); this W is not"
        case .twoFourNeedsIdentityRowOrder:
            "the 2:4 kernel takes rows in order: use the identity row ordering"
        case let .unsupportedFragmentCOOKnob(field, value, allowed):
            "\(field) = \(value) is not one the fragment-COO kernel supports: use one of \(allowed.map(String.init).joined(separator: ", "))"
        case let .fragmentCOONeedsHalfElements(type):
            "the fragment-COO kernel multiplies on fp16 / bf16 tensor cores (mma.sync m16n8k16); \(type.rawValue) is not supported"
        case .fragmentCOONeedsIdentityRowOrder:
            "the fragment-COO kernel takes rows in order: use the identity row ordering"
        case let .splitsExceedUnits(splits, units):
            "\(splits) K splits for \(units) units of K a strip: a split would hold none; use at most \(units)"
        case let .rowOrderConflict(config, problem):
            "the config's row order \(config.rawValue) needs operands in their own order, not \(problem.rawValue) "
                + "(a kernel reads one permutation)"
        case let .specialised(refusal):
            refusal.description
        case let .unparsable(text):
            "'\(text)' is not a config id (expected r4.t8.c64.v4.k32.db1, r1.t32.c128.v4.k64.db1.s8, "
                + "xtile.r32.t8.c128.v4.k64.db1, compact.i16.w8.v8.u2.s1.b2.k4096, bitmap.s1.j8.n16.c4.p3, spec.r4.t64.v1.c1.o1 or simple.r8.t32)"
        }
    }
}
