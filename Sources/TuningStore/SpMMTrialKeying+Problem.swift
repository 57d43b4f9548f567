import KernelGen
import SparseFormats
import Tuner

extension SpMMTrialKeying {
    /// The problem a GPU SpMM row was measured on, rebuilt from its key, its details (the longest
    /// row; the fullest 16 x 16 block, or the worst case in a row written before schema v3) and its context (the device's limits, from the compute capability's preset), with its
    /// pattern's statistics; throws when the row lacks what the problem needs (a v1 row, another
    /// op, a device without a preset).
    package func problem(of row: StoredTrial) throws(TuningStoreError) -> (SpMMProblem, PatternStatistics?) {
        let key = row.problem
        guard key.op == Self.op else { throw .malformedRow("op \(key.op), not \(Self.op)") }
        guard let maxRowLength = row.details.maxRowLength else {
            throw .malformedRow("\(key.patternDigest): no pattern statistics (recorded before schema v2)")
        }
        guard let digest = UInt64(key.patternDigest, radix: 16) else {
            throw .malformedRow("pattern digest '\(key.patternDigest)'")
        }
        guard let type = ElementType(rawValue: key.elementType) else {
            throw .malformedRow("element type '\(key.elementType)'")
        }
        guard let device = Self.deviceLimits(computeCapability: row.context.computeCapability) else {
            throw .malformedRow("no device limits known for compute capability '\(row.context.computeCapability)'")
        }
        let knobs = Self.variantKnobs(key.variant)
        do {
            let problem = try SpMMProblem(
                n: key.matrixRows, k: key.matrixColumns, m: key.width, nnz: key.nnz, patternDigest: digest,
                maxRowLength: maxRowLength, elementType: type,
                epilogue: knobs["epilogue"].flatMap(Epilogue.init(rawValue:)) ?? .none,
                rowOrdering: knobs["rows"].flatMap(RowOrdering.init(rawValue:)) ?? .identity, twoFour: knobs["w"] == "2:4",
                maxBlockEntries: row.details.maxBlockEntries, device: device)
            return (problem, row.details.pattern(of: key))
        } catch {
            throw .malformedRow("\(key.patternDigest): \(error)")
        }
    }

    /// The limits of the devices Sparrow has presets for, by compute capability (`"9.0"`).
    static func deviceLimits(computeCapability: String) -> DeviceLimits? {
        switch computeCapability {
        case DeviceLimits.sm90.computeCapability.description: .sm90
        case DeviceLimits.sm80.computeCapability.description: .sm80
        default: nil
        }
    }

    /// `"epilogue=none,rows=identity"` as a dictionary.
    static func variantKnobs(_ variant: String) -> [String: String] {
        var knobs: [String: String] = [:]
        for pair in variant.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { knobs[String(parts[0])] = String(parts[1]) }
        }
        return knobs
    }
}
