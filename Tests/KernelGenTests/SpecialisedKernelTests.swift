import SparseFormats
import Testing

@testable import KernelGen

/// The specialised family: ids, rules, refusal above the size limit, and the generated program
/// itself, run in Float64 by ``SpecialisedFixtures/interpret(_:values:x:n:m:epilogue:)`` against
/// the reference on awkward shapes (the GPU runs it in `sparrow selftest`).
@Suite struct SpecialisedKernelTests {
    static let configs: [SpecialisedConfig] = [
        SpecialisedConfig(rowsPerBlock: 1, threads: 32, vectorWidth: 1, values: .constant, localityOrder: false),
        SpecialisedConfig(rowsPerBlock: 4, threads: 64, vectorWidth: 1, values: .array, localityOrder: true),
        SpecialisedConfig(rowsPerBlock: 16, threads: 32, vectorWidth: 1, values: .constant, localityOrder: true),
        SpecialisedConfig(rowsPerBlock: 2, threads: 128, vectorWidth: 1, values: .array, localityOrder: false),
    ]

    @Test func idsRoundTripAndBadIdsAreRefused() throws {
        for config in Self.configs {
            #expect(try SpMMConfig(parsing: config.description) == .specialised(config))
        }
        #expect(SpecialisedConfig(rowsPerBlock: 4, threads: 64, vectorWidth: 2, values: .constant, localityOrder: true).description
            == "spec.r4.t64.v2.c1.o1")
        for bad in ["spec.r4.t64.v2.c1", "spec.r4.t64.v2.c2.o1", "spec.r4.t64.v2.c1.o2", "spec.r4.t64.v2.c1.o1.x1", "spec"] {
            #expect(throws: ConfigError.unparsable(bad)) { try SpMMConfig(parsing: bad) }
        }
    }

    @Test func validationStatesTheRule() throws {
        let problem = try makeProblem(n: 64, k: 64, m: 100, nnz: 400, maxRowLength: 20)
        let base = SpecialisedConfig(rowsPerBlock: 4, threads: 64, vectorWidth: 4, values: .constant, localityOrder: false)
        try base.validate(for: problem)
        var odd = base
        odd.vectorWidth = 8
        #expect(configError { try odd.validate(for: problem) } == .unsupportedVectorWidth(width: 8, elementType: .f32))
        #expect(configError { try base.validate(for: try makeProblem(n: 64, k: 64, m: 30, nnz: 400, maxRowLength: 20)) }
            == .vectorWidthMisaligned(width: 4, m: 30))
        var rows = base
        rows.rowsPerBlock = 3
        #expect(configError { try rows.validate(for: problem) }
            == .specialised(.unsupportedKnob(field: "rowsPerBlock", value: 3, allowed: SpecialisedConfig.rowsPerBlockChoices)))
        var threads = base
        threads.threads = 512
        #expect(configError { try threads.validate(for: problem) }
            == .specialised(.unsupportedKnob(field: "threads", value: 512, allowed: SpecialisedConfig.threadChoices)))
    }

    /// Above the limit the generator refuses, naming the limit and the measured cost.
    @Test func refusesAboveTheSizeLimit() throws {
        let limit = SpecialisedConfig.maxNonzeros
        let config = SpecialisedConfig(rowsPerBlock: 4, threads: 64, vectorWidth: 1, values: .array, localityOrder: false)
        try config.validate(for: try makeProblem(n: 4096, k: 4096, m: 256, nnz: limit, maxRowLength: 200))
        let above = try makeProblem(n: 4096, k: 4096, m: 256, nnz: limit + 1, maxRowLength: 200)
        let error = configError { try config.validate(for: above) }
        #expect(error == .specialised(.tooManyNonzeros(nnz: limit + 1, limit: limit)))
        #expect(error?.description.contains("exceeds the limit \(limit)") == true)
        #expect(error?.description.contains("ms of NVRTC time") == true)
        // Wide vectors multiply the code: the written multiply-adds have their own limit.
        var wide = config
        wide.vectorWidth = 8
        let written = SpecialisedConfig.maxWrittenFMAs
        let f16 = try makeProblem(n: 4096, k: 4096, m: 256, nnz: written / 8 + 1, maxRowLength: 200, type: .f16)
        #expect(configError { try wide.validate(for: f16) } == .specialised(.tooLarge(writtenFMAs: written + 8, limit: written)))
    }

    @Test func rendersOnlyFromItsOwnMatrix() throws {
        let w = try SpecialisedFixtures.matrix(20, 30, density: 0.2, seed: "mismatch")
        let other = try SpecialisedFixtures.matrix(20, 30, density: 0.2, seed: "other")
        let problem = try SpecialisedFixtures.problem(w, m: 8)
        let config = SpMMConfig.specialised(Self.configs[0])
        #expect(configError { _ = try KernelGen.render(problem, config) } == .specialised(.needsPattern))
        let mismatch = configError { _ = try KernelGen.render(problem, config, pattern: other) }
        #expect(mismatch == .specialised(.patternMismatch(
            problem: w.patternDigest.description, pattern: other.patternDigest.description)))
        let kernel = try KernelGen.render(problem, config, pattern: w)
        // No index arrays, no sizes: only X and Y (values with c0), and the source names the pattern.
        #expect(kernel.parameters.map(\.role) == [.x, .y])
        #expect(kernel.source.contains("pattern=\(w.patternDigest.description)"))
        #expect(!kernel.source.contains("rowOffsets") && !kernel.source.contains("columnIndices"))
        let array = try KernelGen.render(problem, .specialised(Self.configs[1]), pattern: w)
        #expect(array.parameters.map(\.role) == [.values, .x, .y])
        // Same inputs, same text (the kernel cache finds it again).
        #expect(try KernelGen.render(problem, config, pattern: w).source == kernel.source)
    }

    /// The generated program computes W X (plus the epilogue) on every awkward shape, for every
    /// config, element type and values mode, and writes every element of Y exactly once.
    @Test(arguments: [ElementType.f32, .f16, .bf16])
    func programEqualsTheReference(type: ElementType) throws {
        for shape in try SpecialisedFixtures.awkward() {
            var rng = SeededGenerator(label: "specialised/x/\(shape.name)")
            let x = (0..<shape.w.columns * shape.m).map { _ in Double(rng.nextSignedUnitFloat()) }
            let bias = (0..<shape.w.rows).map { _ in Double(rng.nextSignedUnitFloat()) }
            // W as the kernel multiplies it: rounded to the element type.
            let rounded = try SpecialisedFixtures.rounded(shape.w, to: type)
            let reference = try ReferenceSpMM.multiply(
                rounded, try DenseMatrix(rows: shape.w.columns, columns: shape.m, storage: x), bias: bias, relu: true)
            for config in Self.configs {
                let problem = try SpecialisedFixtures.problem(shape.w, m: shape.m, type: type, epilogue: .biasReLU)
                let kernel = try KernelGen.render(problem, .specialised(config), pattern: shape.w)
                let (y, stores) = SpecialisedFixtures.interpret(
                    kernel.source, values: rounded.values.map(\.doubleValue), x: x, n: shape.w.rows, m: shape.m
                ) { value, row in max(value + bias[row], 0) }
                #expect(stores.allSatisfy { $0 == 1 }, "\(shape.name) \(config): every element stored once")
                let error = zip(y, reference.storage).map { abs($0 - $1) }.max() ?? 0
                #expect(error < 1e-9, "\(shape.name) \(config) \(type): max error \(error)")
            }
        }
    }

    /// Rows that share columns share the load of X: with the locality order a group of rows
    /// drawn from one planted cluster loads each of its columns once.
    @Test func groupedRowsShareLoads() throws {
        // Rows alternate between two column sets; in order each group of 4 mixes them.
        var dense = [Float](repeating: 0, count: 64 * 64)
        for row in 0..<64 {
            let base = row % 2 == 0 ? 0 : 32
            for c in stride(from: base, to: base + 32, by: 2) { dense[row * 64 + c + (row / 2) % 2] = 1 }
        }
        let w = try CSRMatrix(DenseMatrix(rows: 64, columns: 64, storage: dense))
        let problem = try SpecialisedFixtures.problem(w, m: 32)
        func loads(_ locality: Bool) throws -> Int {
            let config = SpecialisedConfig(rowsPerBlock: 4, threads: 32, vectorWidth: 1, values: .constant, localityOrder: locality)
            let source = try KernelGen.render(problem, .specialised(config), pattern: w).source
            return source.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("L(") }.count
        }
        #expect(try loads(true) < loads(false))
    }
}
