import CPUKernels
@testable import Runtime
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
                == "cpu.t2.c8.p-.portable.v8.d0.nt0.g0.k0")
    }

    /// Panels are searched where they can change the loop: K wider than a panel, more than one
    /// column of X, no prefetching.
    @Test func panelsSurviveOnlyWhereTheyChangeTheLoop() {
        let space = CPUPlanSpace(isas: [.portable])
        let rule = CPUPlanSpace.panelsThatChangeNothing
        let wide = CPUSpMMProblem(rows: 64, columns: 384, storedCount: 2000, m: 128, cores: 2)
        let panelled = space.enumerate(wide).filter { $0.panelColumns > 0 }
        let dropsWide = rule.rejectionTest(among: panelled, for: wide)
        #expect(!panelled.isEmpty && panelled.contains { !dropsWide($0) })
        #expect(panelled.allSatisfy { dropsWide($0) == ($0.prefetchDistance != 0) })
        for narrow in [
            CPUSpMMProblem(rows: 64, columns: 64, storedCount: 400, m: 128, cores: 2),
            CPUSpMMProblem(rows: 64, columns: 384, storedCount: 2000, m: 1, cores: 2),
        ] {
            let candidates = space.enumerate(narrow).filter { $0.panelColumns > 0 }
            let drops = rule.rejectionTest(among: candidates, for: narrow)
            #expect(candidates.allSatisfy { drops($0) })
        }
    }

    /// Both knobs in one id: `.k<columns>` then `.o<code>` after `g`. The ids each branch wrote
    /// before the other knob existed read as what they ran: nine parts as no panels in row order,
    /// `.o1` alone as no panels in the locality order, `.k64` alone in row order.
    @Test func idsOfPanelsAndRowOrdersReadBack() throws {
        let base = "cpu.t2.c8.p32.portable.v8.d0.nt0.g0"
        for (id, panels, ordering) in [
            (base, 0, RowOrdering.identity), (base + ".o1", 0, .locality), (base + ".k64", 64, .identity),
            (base + ".k16.o2", 16, .byLengthDescending), (base + ".k0.o1", 0, .locality),
        ] {
            let config = try CPUPlanConfig(parsing: id)
            #expect(config.panelColumns == panels && config.rowOrdering == ordering, "\(id)")
            #expect(try CPUPlanConfig(parsing: config.description) == config, "\(id) -> \(config.description)")
        }
        var config = CPUPlanConfig.defaults(cores: 2)
        config.panelColumns = 64
        config.rowOrdering = .byLengthDescending
        #expect(config.description.hasSuffix(".k64.o2"))
        for bad in [base + ".o1.k64", base + ".k64.k64", base + ".o1.o2", base + ".k64.o1.x", base + ".k-1", base + ".kx"] {
            #expect(throws: CPUPlanConfigParseError.self, "\(bad)") { try CPUPlanConfig(parsing: bad) }
        }
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
