import CPUKernels
import Runtime
import SparseFormats
import Testing
import Tuner

/// The CPU plan's space goes through the same search as the GPU families, measured for real.
@Suite("CPU plan search")
struct CPUPlanSearchTests {
    static func matrix(rows: Int, columns: Int, density: Double, seed: UInt64) throws -> CSRMatrix<Float> {
        var rng = SeededGenerator(seed: seed)
        let storage: [Float] = (0..<rows * columns).map { _ in
            let keep = Double(rng.next() % 1000) / 1000 < density
            let value = rng.nextSignedUnitFloat()
            return keep ? value : 0
        }
        return try DenseMatrix(rows: rows, columns: columns, storage: storage).csr()
    }

    @Test(arguments: [(rows: 37, columns: 53, m: 5), (rows: 300, columns: 64, m: 17)])
    func exhaustiveSearchFindsACorrectPlan(shape: (rows: Int, columns: Int, m: Int)) throws {
        let w = try Self.matrix(rows: shape.rows, columns: shape.columns, density: 0.3, seed: 11)
        var rng = SeededGenerator(label: "cpu-plan-search/\(shape.rows)")
        let x: [Float] = rng.signedUnitValues(w.columns * shape.m)
        let verifier = try Verifier(w: w, x: try DenseMatrix(rows: w.columns, columns: shape.m, storage: x))
        let measurer = CPUSpMMMeasurer(w: w, x: x, m: shape.m, verifier: verifier, warmup: 0, iterations: 3)
        let problem = CPUSpMMProblem(w, m: shape.m)
        let space = CPUPlanSpace()
        let sink = MemoryTrialSink<CPUSpMMProblem, CPUPlanConfig>()
        let result = try Search(space: space, strategy: Exhaustive()).run(for: problem, measurer: measurer, sink: sink)
        #expect(result.trials.count == result.prune.survivors.count)
        #expect(result.trials.allSatisfy { $0.isCorrect }, "\(result.trials.filter { !$0.isCorrect })")
        #expect(sink.trials.count == result.trials.count)
        // Each pack-or-not decision is kept once: at most two reuse thresholds survive per (threads, chunks).
        let report = result.prune.report
        #expect(report.enumerated == report.survivors + report.illegal + report.rules.map(\.removed).reduce(0, +))
        #expect(Set(result.prune.survivors.map(\.packMinimumReuse)).count <= 2)
    }

    @Test func threadsBeyondTheHostAreIllegal() {
        let problem = CPUSpMMProblem(rows: 8, columns: 8, storedCount: 10, m: 4, cores: 2)
        let space = CPUPlanSpace()
        #expect(space.legalityError(CPUPlanConfig(threads: 3, chunksPerThread: 8, packMinimumReuse: 8), for: problem) != nil)
        #expect(space.isLegal(.defaults(cores: 2), for: problem))
        #expect(
            CPUPlanConfig(threads: 2, chunksPerThread: 8, packMinimumReuse: Int.max, isa: .portable, tileVectors: 8).description
                == "cpu.t2.c8.p-.portable.v8.d0.nt0.g0")
    }

    /// The row order is a knob of the CPU space too: off unless asked for (it did not pay on the
    /// 2-core EPYC), in ids as `.o1` / `.o2`, and each order's plan checks out against the reference.
    @Test func theRowOrderIsASelectableKnob() throws {
        let problem = CPUSpMMProblem(rows: 37, columns: 53, storedCount: 500, m: 5, cores: 2)
        #expect(CPUPlanSpace().enumerate(problem).allSatisfy { $0.rowOrdering == .identity })
        let space = CPUPlanSpace(rowOrders: RowOrdering.allCases)
        let all = space.enumerate(problem)
        #expect(all.count == 3 * CPUPlanSpace().enumerate(problem).count)
        for ordering in RowOrdering.allCases { #expect(all.contains { $0.rowOrdering == ordering }) }
        var config = CPUPlanConfig.defaults(cores: 2)
        config.rowOrdering = .locality
        #expect(config.description.hasSuffix(".o1"))
        #expect(try CPUPlanConfig(parsing: config.description) == config)
        config.rowOrdering = .byLengthDescending
        #expect(try CPUPlanConfig(parsing: config.description) == config)
        #expect(throws: CPUPlanConfigParseError.self) { try CPUPlanConfig(parsing: "cpu.t2.c8.p32.portable.v8.d4.nt0.g0.o0") }
        #expect(throws: CPUPlanConfigParseError.self) { try CPUPlanConfig(parsing: "cpu.t2.c8.p32.portable.v8.d4.nt0.g0.o3") }

        let w = try Self.matrix(rows: 37, columns: 53, density: 0.3, seed: 12)
        var rng = SeededGenerator(label: "cpu-plan-order")
        let x: [Float] = rng.signedUnitValues(w.columns * 5)
        let verifier = try Verifier(w: w, x: try DenseMatrix(rows: w.columns, columns: 5, storage: x))
        let measurer = CPUSpMMMeasurer(w: w, x: x, m: 5, verifier: verifier, warmup: 0, iterations: 3)
        let configs = RowOrdering.allCases.map { ordering in
            var c = CPUPlanConfig.defaults(cores: CPUWorkerPool.onlineCores)
            c.rowOrdering = ordering
            return c
        }
        let result = try Search(space: space, strategy: FixedList(configs)).run(
            for: CPUSpMMProblem(w, m: 5), measurer: measurer, sink: MemoryTrialSink())
        #expect(result.trials.map(\.config) == configs)
        #expect(result.trials.allSatisfy { $0.isCorrect }, "\(result.trials.filter { !$0.isCorrect })")
    }
}
