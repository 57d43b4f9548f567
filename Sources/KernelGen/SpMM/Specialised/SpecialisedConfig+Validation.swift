import SparseFormats

extension SpecialisedConfig {
    /// Rows per block the kernel is written for.
    package static let rowsPerBlockChoices = [1, 2, 4, 8, 16]
    /// Threads per block (whole warps; at most 256 so that 255 registers a thread still fit).
    package static let threadChoices = [32, 64, 128, 256]
    /// Dense vector widths in elements; at most 16 bytes of the element type are legal.
    package static let vectorWidths = DenseTileRules.vectorWidths

    /// The size limit in nonzeros. NVRTC's time grows a little faster than linearly with the
    /// nonzeros written into the source (``SpecialisedCompileCost``, measured with
    /// `SpecialisedCompileTests.measureCompileCost` and on the H200 machine, see
    /// docs/perf/2026-11-30-h200-specialise/): 0.45 ms per nonzero at 1,000-4,000, 0.85 ms at
    /// 16,000 on the 2-core development machine, so a kernel at the limit compiles in about 14 s
    /// there. Above it one matrix's kernel would take longer than the whole search of the other
    /// families (16 configs, compiled in parallel and cached across problems).
    package static let maxNonzeros = 16_384
    /// The limit on multiply-adds written out (nnz x vectorWidth): wide vectors multiply the
    /// code (4,109 nonzeros took 1.85 s at v1 and 4.35 s at v4).
    package static let maxWrittenFMAs = 65_536

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
        guard problem.nnz <= Self.maxNonzeros else {
            throw .specialised(.tooManyNonzeros(nnz: problem.nnz, limit: Self.maxNonzeros))
        }
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
    /// The matrix has more nonzeros than ``SpecialisedConfig/maxNonzeros``.
    case tooManyNonzeros(nnz: Int, limit: Int)
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
        case let .tooManyNonzeros(nnz, limit):
            "specialised kernel too large: nnz = \(nnz) exceeds the limit \(limit) nonzeros written into one kernel's source "
                + "(NVRTC's time grows with them: \(SpecialisedCompileCost.summary); use another family)"
        case let .tooLarge(written, limit):
            "specialised kernel too large: nnz x vector width = \(written) multiply-adds written out exceed the limit \(limit) "
                + "(\(SpecialisedCompileCost.summary); use a narrower vector or another family)"
        case let .unsupportedKnob(field, value, allowed):
            "\(field) = \(value) is not one the specialised kernel supports: use one of \(allowed.map(String.init).joined(separator: ", "))"
        case .needsPattern:
            "the specialised kernel is written from W's pattern: render it with the matrix (KernelGen.render(_:_:pattern:))"
        case let .patternMismatch(problem, pattern):
            "the matrix given (pattern \(pattern)) is not the problem's (pattern \(problem)): a specialised kernel is written for one matrix"
        }
    }
}
