import Foundation
import KernelGen
import SparseFormats
import Testing
@testable import Bench
import Tuner
@testable import Runtime

@Suite("benchmark harness")
struct BenchHarnessTests {
    /// A candidate that computes the right answer, or a wrong one, or leaves NaN.
    final class FakeCandidate: SpMMCandidate {
        enum Mode { case right, wrong, unwritten, skip }
        let name: String
        let role: CandidateRole
        let precision = ComputePrecision.fp32
        let mode: Mode
        let seconds: Double
        var y: [Float] = []

        init(_ name: String, _ role: CandidateRole, _ mode: Mode, seconds: Double) {
            self.name = name
            self.role = role
            self.mode = mode
            self.seconds = seconds
        }

        func prepare(_ problem: SpMMBenchProblem, x: [Float], verifier: Verifier) throws {
            if mode == .skip { throw CandidateSkipped("not for this problem") }
            let reference = try ReferenceSpMM.multiply(problem.matrix, DenseMatrix(rows: problem.matrix.columns, columns: problem.m, storage: x))
            y = reference.storage.map { Float($0) }
            if mode == .wrong, !y.isEmpty { y[0] += 1 }
            if mode == .unwritten, !y.isEmpty { y[y.count - 1] = .nan }
        }

        func output() throws -> [Float] { y }
        func time(warmup: Int, iterations: Int) throws -> [Double] { Array(repeating: seconds, count: iterations) }
    }

    func problem(_ sparsity: Double) throws -> SpMMBenchProblem {
        let w = try SyntheticMatrices.make(rows: 37, columns: 53, sparsity: sparsity, distribution: .uniform, generator: SeededGenerator(seed: 7))
        return SpMMBenchProblem(name: "p\(sparsity)", suite: "test", nominalSparsity: sparsity, matrix: w, m: 9)
    }

    @Test func checksBeforeTimingAndComputesSpeedups() throws {
        let runner = BenchRunner(warmup: 1, iterations: 20, ceilings: MachineCeilings(peakFlops: 1e9, bandwidthBytesPerSecond: 1e9, source: "test"))
        let candidates: [any SpMMCandidate] = [
            FakeCandidate("ours", .ours, .right, seconds: 1e-6),
            FakeCandidate("wrong", .ours, .wrong, seconds: 1e-9),
            FakeCandidate("nan", .ours, .unwritten, seconds: 1e-9),
            FakeCandidate("lib-alg1", .baseline, .right, seconds: 4e-6),
            FakeCandidate("lib-alg2", .baseline, .right, seconds: 2e-6),
            FakeCandidate("skipped", .baseline, .skip, seconds: 1),
        ]
        let results = runner.run([try problem(0.9), try problem(0.7)], candidates: candidates)
        let first = try #require(results.first)
        let byName = Dictionary(uniqueKeysWithValues: first.candidates.map { ($0.name, $0) })
        #expect(byName["ours"]?.status == .ok)
        #expect(byName["wrong"]?.status == .wrong)
        #expect(byName["wrong"]?.medianSeconds == nil, "a wrong output must never be timed")
        #expect(byName["nan"]?.status == .wrong)
        #expect(byName["nan"]?.detail?.contains("NaN") == true)
        #expect(byName["skipped"]?.status == .skipped)
        #expect(first.bestOurs?.name == "ours", "the fastest *correct* candidate is ours")
        #expect(abs((first.speedups["lib-alg1"] ?? 0) - 4) < 1e-9)
        #expect(abs((first.speedups["lib-best"] ?? 0) - 2) < 1e-9, "the best algorithm of a family is summarised")
        let flops = 2 * Double(first.nnz) * 9
        #expect(abs((byName["ours"]?.gflops ?? 0) - flops / 1e-6 / 1e9) < 1e-6)

        let report = BenchReport(command: "test", date: "d", commit: "c", machine: "m", device: "dev",
                                 ceilings: runner.ceilings, warmup: 1, iterations: 20, timingMethod: "fake", problems: results)
        #expect(report.failures == 2)
        let summary = report.summary.filter { $0.baseline == "lib-alg1" }
        #expect(summary.count == 2)
        #expect(summary.allSatisfy { abs($0.geometricMean - 4) < 1e-9 && $0.problems == 1 })
        let markdown = report.markdown()
        #expect(markdown.contains("| p0.9 | 9 |"))
        #expect(markdown.contains("## Failed checks and errors"))
        let svg = report.svgChart()
        #expect(svg.hasPrefix("<svg") && svg.contains("vs lib-alg1"))
        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(BenchReport.self, from: json)
        #expect(decoded.problems.count == 2)
    }

    @Test func statistics() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 2, 3]) == 2.5)
        #expect(Statistics.median([]).isNaN)
        #expect(abs(Statistics.geometricMean([1, 4, 16]) - 4) < 1e-12)
        #expect(Statistics.geometricMean([1, 0]).isNaN)
    }

    @Test(arguments: [SyntheticMatrices.RowDistribution.uniform, .powerLaw], [0.5, 0.9, 0.99])
    func syntheticMatricesHitTheirSparsityExactly(distribution: SyntheticMatrices.RowDistribution, sparsity: Double) throws {
        let w = try SyntheticMatrices.make(rows: 300, columns: 200, sparsity: sparsity, distribution: distribution, generator: SeededGenerator(seed: 3))
        #expect(w.nnz == Int(((1 - sparsity) * 60_000).rounded()))
        let again = try SyntheticMatrices.make(rows: 300, columns: 200, sparsity: sparsity, distribution: distribution, generator: SeededGenerator(seed: 3))
        #expect(again == w, "the same seed gives the same matrix")
        if distribution == .powerLaw {
            #expect(Double(w.rowStatistics.maxPerRow) > 1.5 * w.rowStatistics.meanPerRow, "a power law has long rows")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: dlmcArchive.path), "needs ../shared/data/dlmc-rn50-magnitude.tar.xz next to the package"))
    func dlmcSuiteLoadsLayersWithTheirSpatialSizes() throws {
        let data = dlmcArchive.deletingLastPathComponent()
        let cache = try benchScratch("dlmc-suite")
        defer { try? FileManager.default.removeItem(at: cache) }
        let suite = BenchSuite(name: .dlmcRN50, selection: SuiteSelection(sparsities: [0.9], limit: 2),
                               data: DLMCData(directory: data, cacheDirectory: cache))
        let problems = try suite.problems()
        // Two layers, each at its own spatial size and at 256.
        #expect(problems.count == 4)
        #expect(Set(problems.map(\.m)).contains(256))
        #expect(problems.allSatisfy { $0.nominalSparsity == 0.9 && abs($0.matrix.sparsity - 0.9) < 0.01 })
    }

    @Test func elementBytesRoundTripAndPoison() {
        let values: [Float] = [0, 1, -2.5, 0.1, 65504]
        for type in [ElementType.f32, .f16, .bf16] {
            let back = ElementBytes.decode(ElementBytes.encode(values, as: type), as: type)
            #expect(back.count == values.count)
            for (a, b) in zip(back, values) { #expect(abs(a - b) <= abs(b) * 0.01) }
            let word = ElementBytes.nanWord(type)
            let poisoned = ElementBytes.decode(withUnsafeBytes(of: word) { Array($0) }, as: type)
            #expect(poisoned.allSatisfy { $0.isNaN })
            #expect(ElementBytes.paddedByteCount(3, type) % 4 == 0)
        }
    }

    @Test func launchCostIsOptionalInCeilingsAndShownWhenMeasured() throws {
        // Reports written before the launch cost existed still decode (nil), and say nothing of it.
        let old = #"{"peakFlops":1e9,"bandwidthBytesPerSecond":1e9,"source":"old"}"#
        let decoded = try JSONDecoder().decode(MachineCeilings.self, from: Data(old.utf8))
        #expect(decoded.launchSeconds == nil && decoded.fullGridLaunchSeconds == nil)
        func report(_ ceilings: MachineCeilings) -> String {
            BenchReport(command: "test", date: "d", commit: "c", machine: "m", device: "dev", ceilings: ceilings,
                        warmup: 1, iterations: 20, timingMethod: "fake", problems: []).markdown()
        }
        #expect(!report(decoded).contains("launch cost"))
        let measured = MachineCeilings(
            peakFlops: 1e9, bandwidthBytesPerSecond: 1e9, source: "gpu", launchSeconds: 2.5e-6, fullGridLaunchSeconds: 2.75e-6)
        #expect(report(measured).contains("2.50 us for one block, 2.75 us for 8 blocks of 256 threads per SM"))
    }

    @Test func sweepPlanTimesPortfolioAndRankingAndStaysValid() throws {
        let w = try SyntheticMatrices.make(rows: 512, columns: 768, sparsity: 0.9, distribution: .powerLaw, generator: SeededGenerator(seed: 1))
        for m in [1, 3, 256] {
            let problem = try SpMMProblem.make(w, m: m, type: .f32, device: .sm90)
            let configs = PortfolioShortlist.configs(for: problem, limit: 12).configs
            let portfolio = MeasuredPortfolio.configs(for: problem)
            // The measured portfolio first (at most half the list), then the ranking, best guess included.
            #expect(Array(configs.prefix(min(6, portfolio.count))) == Array(portfolio.prefix(6)))
            #expect(configs.contains(try #require(DiversifiedRanking().ranked(for: problem, limit: 1).first)))
            #expect(configs.count == 12 && Set(configs).count == configs.count)
            for c in configs { #expect(throws: Never.self) { try c.validate(for: problem) } }
            // m = 1 and 3 take no 4-wide vectors: no portfolio config is valid there.
            #expect(portfolio.isEmpty == (m % 4 != 0))
        }
        // Named configs follow, where valid; invalid ones are left out.
        let problem = try SpMMProblem.make(w, m: 256, type: .f32, device: .sm90)
        let named = try SpMMConfig(parsing: "r4.t8.c32.v4.k32.db0.u8")
        let invalid = try SpMMConfig(parsing: "r4.t8.c64.v8.k32.db0")  // 8 floats: 32-byte loads
        let plan = PortfolioShortlist.configs(for: problem, limit: 4, extra: [named, invalid])
        #expect(plan.configs.count == 5 && plan.configs.last == named)
        #expect(plan.rejected.map(\.config) == [invalid])
        #expect(plan.rejected.first?.error == .unsupportedVectorWidth(width: 8, elementType: .f32))
    }
}


import SparseIO

@Suite("selftest coverage")
struct SelfTestCoverageTests {
    /// Every kernel family of the config space must meet at least one selftest shape on the
    /// GPUs Sparrow runs on, at every precision, or `sparrow selftest` would not check it.
    @Test(arguments: [DeviceLimits.sm80, .sm90])
    func everyFamilyIsExercised(device: DeviceLimits) throws {
        for type in [ElementType.f32, .f16, .bf16] {
            var families = Set<String>()
            for shape in try SelfTestShape.all() {
                let problem = try SpMMProblem.make(shape.matrix, m: shape.m, type: type, device: device)
                for c in SpMMSpace().configs(for: problem) {
                    families.insert((c.asTiled?.rowSplit ?? 1) > 1 ? "tiled-split" : c.family.rawValue)
                }
            }
            #expect(families.isSuperset(of: ["simple", "tiled", "tiled-split", "xtile"]), "\(type): \(families.sorted())")
        }
    }
}
