import KernelGen
import SparseFormats
import Testing

@testable import Tuner

@Suite struct SpaceTests {
    /// Awkward problems: M = 1, M = 3, N = 1, nnz = 0, K = 1, one dense row, every dtype.
    static func awkwardProblems() throws -> [SpMMProblem] {
        var problems = [
            try makeProblem(m: 1),
            try makeProblem(m: 3, type: .f16),
            try makeProblem(n: 1, k: 512, m: 256, nnz: 300, maxRowLength: 300),
            try makeProblem(n: 64, k: 64, m: 17, nnz: 0, maxRowLength: 0, type: .bf16),
            try makeProblem(n: 100, k: 1, m: 8, nnz: 60, maxRowLength: 1, epilogue: .biasReLU, ordering: .byLengthDescending),
            try makeProblem(n: 7, k: 4096, m: 96, nnz: 4096 + 6, maxRowLength: 4096, type: .f16, device: .sm80),
            try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470),
        ]
        var volta = DeviceLimits.sm80
        volta.computeCapability = ComputeCapability(major: 7, minor: 0)
        problems.append(try makeProblem(m: 2048, type: .bf16, device: volta))
        return problems
    }

    @Test(arguments: try awkwardProblems())
    func spaceIsNonEmptyValidAndUnique(_ problem: SpMMProblem) throws {
        let space = SpMMSpace().configs(for: problem)
        #expect(!space.isEmpty)
        // At most 1,400 configs per row order (the knob repeats the CSR families under each).
        #expect(space.filter { $0.rowOrder == .identity }.count <= 1400, "space of \(space.count) configs is too big for the tuner")
        #expect(space.count <= 1400 * RowOrdering.allCases.count)
        #expect(Set(space).count == space.count, "duplicates in the space")
        for config in space {
            #expect(configError { try config.validate(for: problem) } == nil, "\(config) does not validate")
        }
        #expect(space.contains { $0.family == .simple })
        // Vector widths respect m: every tiled member's width divides m.
        #expect(space.compactMap(\.asTiled).allSatisfy { problem.m % $0.vectorWidth == 0 })
    }

    @Test func spaceCoversEveryKnob() throws {
        let space = SpMMSpace().configs(for: try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470))
        let tiled = space.compactMap(\.asTiled)
        #expect(Set(tiled.map(\.subwarpSize)) == [4, 8, 16, 32])
        #expect(Set(tiled.map(\.vectorWidth)) == [2, 4])
        #expect(Set(tiled.map(\.chunkSize)) == [32, 64, 128])
        #expect(Set(tiled.map(\.doubleBuffered)) == [false, true])
        #expect(Set(tiled.map(\.vectorsPerThread)) == [1, 2, 4])
    }

    /// Split tiled configs keep the widest vector only, and for 2-byte elements also f32's
    /// 4-element tiles (measured on rn50 f16: see `SpMMPruningRule.widestVectorOnly`).
    @Test func splitConfigsKeepF32ColumnTilesAtTwoBytes() throws {
        func splitWidths(_ type: ElementType) throws -> Set<Int> {
            let problem = try makeProblem(n: 256, k: 2304, m: 256, nnz: 59_000, maxRowLength: 400, type: type)
            return Set(SpMMSpace().configs(for: problem).compactMap(\.asTiled).filter { $0.rowSplit > 1 }.map(\.vectorWidth))
        }
        #expect(try splitWidths(.f32) == [4])
        #expect(try splitWidths(.f16) == [4, 8])
        #expect(try splitWidths(.bf16) == [4, 8])
    }

    @Test func narrowProblemsGetNarrowVectors() throws {
        let space = SpMMSpace().configs(for: try makeProblem(m: 3))
        #expect(space.compactMap(\.asTiled).allSatisfy { $0.vectorWidth == 1 })
        // Shortest rows: no chunk beyond the smallest, no double buffering.
        let short = SpMMSpace().configs(for: try makeProblem(n: 100, k: 1, m: 8, nnz: 60, maxRowLength: 1))
        #expect(short.allSatisfy { $0.family == .simple || $0.family == .specialised || $0.asTiled.map { !$0.doubleBuffered && $0.chunkSize == 32 } == true })
    }

    @Test(arguments: try awkwardProblems())
    func pruningCountsAddUp(_ problem: SpMMProblem) throws {
        let space = SpMMSpace()
        let pruning = space.prune(problem).report
        let enumerated = space.enumerate(for: problem)
        #expect(Set(enumerated).count == enumerated.count, "duplicates in the enumeration")
        #expect(pruning.enumerated == enumerated.count && pruning.duplicates == 0)
        let removed = pruning.rules.map(\.removed).reduce(0, +)
        #expect(pruning.survivors + pruning.illegal + removed == pruning.enumerated)
        #expect(pruning.rules.map(\.name) == space.rules.map(\.name))
        #expect(pruning.illegalKinds.allSatisfy { !$0.kind.isEmpty }, "\(pruning.illegalKinds)")
    }

    @Test func everyRuleStatesWhyAndWhereFrom() {
        let rules = SpMMPruningRule.standard
        #expect(Set(rules.map(\.name)).count == rules.count)
        for rule in rules {
            #expect(!rule.reason.isEmpty && !rule.reason.contains("\n"))
            #expect(["measured, ", "hardware: ", "algorithm: "].contains { rule.provenance.description.hasPrefix($0) }, "\(rule.name)")
        }
    }

    @Test func withoutRulesTheSpaceIsEveryLegalConfig() throws {
        let problem = try makeProblem(n: 4096, k: 4096, m: 256, nnz: 1_677_722, maxRowLength: 470)
        let all = SpMMSpace(rules: []).configs(for: problem)
        let pruned = SpMMSpace().configs(for: problem)
        #expect(Set(pruned).isSubset(of: Set(all)) && all.count > pruned.count)
        for config in all { #expect(configError { try config.validate(for: problem) } == nil, "\(config)") }
        // The rules remove only what they count.
        let pruning = SpMMSpace().prune(problem).report
        #expect(all.count - pruned.count == pruning.rules.map(\.removed).reduce(0, +))
    }

    @Test func spaceSplitsLongRowsOnly() throws {
        let layer = SpMMSpace().configs(for: try makeProblem(n: 256, k: 2304, m: 196, nnz: 176_947, maxRowLength: 760))
        #expect(Set(layer.map { $0.asTiled?.rowSplit ?? 1 }) == [1, 2, 4, 8, 16])
        #expect(layer.filter { $0.rowOrder == .identity }.count <= 1400)
        // Rows of at most 30 entries never need a second chunk, so no split is legal.
        let short = SpMMSpace().configs(for: try makeProblem(n: 64, k: 147, m: 256, nnz: 940, maxRowLength: 30))
        #expect(short.allSatisfy { ($0.asTiled?.rowSplit ?? 1) == 1 })
    }
}
