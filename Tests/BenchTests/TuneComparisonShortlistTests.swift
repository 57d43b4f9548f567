@testable import Bench
import KernelGen
import SparseFormats
import Testing
import Tuner

@Suite struct TuneComparisonShortlistTests {
    func comparison(tuned: Double, best: Double, shortlist: Double?, proxy: ProxyAgreement? = nil) -> TuneComparison {
        var c = TuneComparison(
            exhaustiveConfig: "r8", exhaustiveTrials: 900, exhaustiveSearchSeconds: 30, tunedSearchSeconds: 1,
            tunedWarmSearchSeconds: 0.5, tunedSeconds: tuned, exhaustiveSeconds: best)
        c.shortlistConfig = shortlist.map { _ in "r4" }
        c.shortlistSeconds = shortlist
        c.proxyAgreement = proxy
        c.proxySeconds = proxy.map { _ in tuned * 1.01 }
        c.proxySearchSeconds = proxy.map { _ in 0.2 }
        return c
    }

    @Test func theSummaryComparesTheTunedPickWithTheShortlistsAndThePoxyWithFullTimes() throws {
        let good = try #require(ProxyAgreement(proxy: ["a": 1.0, "b": 2, "c": 3], full: ["a": 1.0, "b": 2, "c": 3]))
        let bad = try #require(ProxyAgreement(proxy: ["a": 3.0, "b": 2, "c": 1], full: ["a": 1.0, "b": 2, "c": 3]))
        let summary = try #require(ComparisonSummary([
            comparison(tuned: 1, best: 1, shortlist: 1.21, proxy: good),
            comparison(tuned: 1, best: 0.9, shortlist: 1, proxy: bad),
            comparison(tuned: 2, best: 2, shortlist: nil),
        ]))
        #expect(abs((summary.speedOverShortlist ?? 0) - 1.1) < 1e-12)
        #expect(abs((summary.exhaustiveSpeedOverShortlist ?? 0) - (1.21 * 1 / 0.9).squareRoot()) < 1e-12)
        #expect(summary.meanProxyKendallTau == 0)
        #expect(summary.proxyWithin3Percent == 1)
        #expect(summary.proxyProblems == 2)
        #expect(abs((summary.proxyTunedOverExhaustive ?? 0) - (1.01 * 1.01 / 0.9).squareRoot()) < 1e-12)
        #expect(summary.meanProxySearchSeconds == 0.2)
        #expect(summary.text.contains("tuned speed over the 16-config shortlist: geometric mean 1.100x"))
        #expect(summary.text.contains("within 3% of the best of its candidates on 1 of 2 problems"))

        let plain = try #require(ComparisonSummary([comparison(tuned: 1, best: 1, shortlist: nil)]))
        #expect(plain.speedOverShortlist == nil)
        #expect(plain.meanProxyKendallTau == nil)
        #expect(!plain.text.contains("shortlist"))
    }

    @Test func aFaultEndsTheRunWithOneLineSayingARerunResumes() throws {
        let w = try SyntheticMatrices.make(rows: 9, columns: 7, sparsity: 0.7, distribution: .uniform, generator: SeededGenerator(seed: 3))
        let problem = SpMMBenchProblem(name: "layer", suite: "files", nominalSparsity: 0.7, matrix: w, m: 8)
        let config = try SpMMConfig(parsing: "r8.t32.c256.v4.k64.db0")
        let error = SearchError<SpMMConfig>.measurerUnusable(
            Trial(config: config, status: .launchError("CUDA_ERROR_ILLEGAL_ADDRESS")), reason: "illegal address; the CUDA context is unusable")
        let failure = TuneJob.searchFailure(error, problem)
        #expect(failure is TuneFault)
        let line = "\(failure)"
        #expect(!line.contains("\n"))
        #expect(line.contains("tuning layer n=8: config \(config) faulted (illegal address; the CUDA context is unusable)"))
        #expect(line.contains("rerun the same command to resume"))
    }
}
