import Foundation
import KernelGen

// Rules for the specialised family (SparseRT-style, the pattern in the code): each removes
// configs whose code a block streams through the instruction cache badly, or that do the work of
// a kept config with more instructions or idle threads.
extension SpMMPruningRule {
    /// Every specialised rule, in order (part of ``standard``).
    package static let specialisedRules: [SpMMPruningRule] = [specialisedCodeExceedsCache, specialisedNarrowVector, specialisedIdleHalf]

    /// Bytes of instruction cache per SM the code of the blocks an SM runs at once competes for
    /// (the L1.5/L1 instruction cache of Volta-to-Hopper SMs is about 128 KiB; the L0 of each
    /// sub-partition about 16 KiB).
    static let instructionCacheBytesPerSM = 128 * 1024

    /// A block whose own code exceeds half the SM's instruction cache.
    package static let specialisedCodeExceedsCache = SpMMPruningRule(
        "specialised-code-exceeds-icache",
        reason: "a specialised block's straight-line code (about 16 bytes per instruction: its rows' multiply-adds x vector width plus one load per nonzero for array values) above half of the SM's ~128 KiB instruction cache is fetched from L2 as it runs; fewer rows per block keep it resident",
        provenance: .hardware("instruction cache per SM")) { config, problem in
        guard let specialised = config.asSpecialised else { return false }
        return problem.specialisedBlockCodeBytes(specialised) > Double(instructionCacheBytesPerSM / 2)
    }

    /// Vectors below half the widest legal width.
    package static let specialisedNarrowVector = SpMMPruningRule(
        "specialised-narrow-vector",
        reason: "specialised vectors below half the widest legal width load the same X rows with more instructions and no fewer multiply-adds",
        provenance: .algorithm("instruction count per byte")) { config, problem in
        guard let specialised = config.asSpecialised else { return false }
        return specialised.vectorWidth < problem.widestVector / 2
    }

    /// A block of more than one warp whose columns cover m twice.
    package static let specialisedIdleHalf = SpMMPruningRule(
        "specialised-idle-half",
        reason: "a specialised block of more than one warp spanning at least twice m columns leaves half its threads idle; the smaller block covers m",
        provenance: .algorithm("idle threads")) { config, problem in
        guard let specialised = config.asSpecialised, specialised.threads > 32 else { return false }
        return specialised.threads * specialised.vectorWidth >= 2 * problem.m
    }
}

extension SpMMProblem {
    /// Estimated bytes of one specialised block's code: 16-byte instructions, `vectorWidth`
    /// multiply-adds per nonzero of its rows (plus a load per nonzero for array values) and one X
    /// load per distinct column, bounded by the nonzeros (rows of mean length).
    func specialisedBlockCodeBytes(_ config: SpecialisedConfig) -> Double {
        let nonzeros = Double(config.rowsPerBlock) * meanRowLength
        let perNonzero = Double(config.vectorWidth) + (config.values == .array ? 1 : 0)
        let loads = min(Double(k), nonzeros)
        return 16 * (nonzeros * perNonzero + loads + Double(config.rowsPerBlock * (config.vectorWidth + 4)))
    }

    /// Expected distinct columns among `rows` rows of a random pattern of this density:
    /// `k x (1 - (1 - density)^rows)`. Grouping rows by shared columns lowers it on real
    /// patterns; the problem does not carry the pattern, so the estimate cannot tell.
    func expectedDistinctColumns(rows: Int) -> Double {
        guard k > 0, n > 0 else { return 0 }
        let density = min(1, Double(nnz) / (Double(n) * Double(k)))
        return Double(k) * (1 - pow(1 - density, Double(rows)))
    }
}
