import SparseFormats

extension SpecialisedConfig {
    /// Rows per block the kernel is written for.
    package static let rowsPerBlockChoices = [1, 2, 4, 8, 16]
    /// Threads per block (whole warps; at most 256 so that 255 registers a thread still fit).
    package static let threadChoices = [32, 64, 128, 256]
    /// Dense vector widths in elements; at most 16 bytes of the element type are legal.
    package static let vectorWidths = DenseTileRules.vectorWidths

    /// The size limit: at most this many multiply-adds written out (nnz x vectorWidth) in one
    /// kernel. NVRTC's time and the cubin grow linearly with them (measured with
    /// `SpecialisedCompileCostTests` and on the H200 machine; see
    /// docs/perf/2026-11-30-h200-specialise/): compile time per written nonzero (v1) and the cubin
    /// bytes per nonzero are stated in ``SpecialisedRefusal/tooLarge(writtenFMAs:limit:)``'s message. Above the limit a
    /// kernel would take more than about a minute to compile for one matrix, longer than
    /// the whole search of the other families.
    package static let maxWrittenFMAs = 131_072

    package func validate(for problem: SpMMProblem) throws(ConfigError) {
        let device = problem.device
        guard Self.rowsPerBlockChoices.contains(rowsPerBlock) else {
            throw .specialised(.unsupportedKnob(field: "rowsPerBlock", value: rowsPerBlock, allowed: Self.rowsPerBlockChoices))
        }
        guard Self.threadChoices.contains(threads) else {
            throw .specialised(.unsupportedKnob(field: "threads", value: threads, allowed: Self.threadChoices))
        }
        try BlockRules.checkThreads(threads, device: device)
        let type = problem.elementType
        guard Self.vectorWidths.contains(vectorWidth), vectorWidth * type.byteWidth <= 16 else {
            throw .unsupportedVectorWidth(width: vectorWidth, elementType: type)
        }
        guard problem.m % vectorWidth == 0 else { throw .vectorWidthMisaligned(width: vectorWidth, m: problem.m) }
        let written = problem.nnz * vectorWidth
        guard written <= Self.maxWrittenFMAs else {
            throw .specialised(.tooLarge(writtenFMAs: written, limit: Self.maxWrittenFMAs))
        }
        let grid = gridDimensions(for: problem)
        guard grid.y <= device.maxGridY else { throw .gridTooLarge(dimension: "y", blocks: grid.y, limit: device.maxGridY) }
    }
}

/// Checks that tie a specialised kernel to the matrix it is written from.
enum SpecialisedRules {
    /// `pattern` is the matrix `problem` describes: same shape, nnz and pattern digest.
    static func check(pattern: CSRMatrix<Float>, problem: SpMMProblem) throws(ConfigError) {
        guard pattern.rows == problem.n, pattern.columns == problem.k, pattern.nnz == problem.nnz,
            pattern.patternDigest.value == problem.patternDigest
        else {
            throw .specialised(.patternMismatch(
                problem: PatternDigest(value: problem.patternDigest).description,
                pattern: pattern.patternDigest.description))
        }
    }
}

/// Why the specialised family cannot write a kernel.
package enum SpecialisedRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kernel would write out more multiply-adds than ``SpecialisedConfig/maxWrittenFMAs``.
    case tooLarge(writtenFMAs: Int, limit: Int)
    /// A knob outside the values the kernel is written for.
    case unsupportedKnob(field: String, value: Int, allowed: [Int])
    /// Rendered without the matrix: the source is written from W's pattern.
    case needsPattern
    /// The matrix given is not the one the problem describes.
    case patternMismatch(problem: String, pattern: String)

    package var description: String {
        switch self {
        case let .tooLarge(written, limit):
            "specialised kernel too large: nnz x vector width = \(written) multiply-adds written out exceed the limit \(limit) "
                + "(NVRTC time and code size grow linearly with them, about \(SpecialisedCompileCost.summary); "
                + "use another family)"
        case let .unsupportedKnob(field, value, allowed):
            "\(field) = \(value) is not one the specialised kernel supports: use one of \(allowed.map(String.init).joined(separator: ", "))"
        case .needsPattern:
            "the specialised kernel is written from W's pattern: render it with the matrix (KernelGen.render(_:_:pattern:))"
        case let .patternMismatch(problem, pattern):
            "the matrix given (pattern \(pattern)) is not the problem's (pattern \(problem)): a specialised kernel is written for one matrix"
        }
    }
}
