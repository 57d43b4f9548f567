@testable import Bench
import Testing

@Suite struct TuneComparisonTests {
    func comparison(_ tuned: Double, _ best: Double, search: Double = 1, exhaustive: Double = 30) -> TuneComparison {
        TuneComparison(
            exhaustiveConfig: "r8", exhaustiveTrials: 900, exhaustiveSearchSeconds: exhaustive, tunedSearchSeconds: search,
            tunedWarmSearchSeconds: search / 2, tunedSeconds: tuned, exhaustiveSeconds: best)
    }

    @Test func theSummaryHasTheTargetsQuantities() throws {
        let summary = try #require(ComparisonSummary([
            comparison(1.0, 1.0), comparison(1.04, 1.0), comparison(1.2, 1.0, search: 2, exhaustive: 60),
            comparison(0.98, 1.0),
        ]))
        #expect(summary.problems == 4)
        #expect(summary.within5Percent == 3)
        #expect(summary.worstRatio == 1.2)
        #expect(abs(summary.geometricMeanRatio - (1.04 * 1.2 * 0.98).squareRoot().squareRoot()) < 1e-12)
        #expect(summary.searchSpeedup == 150.0 / 5)
        #expect(summary.meanTunedSearchSeconds == 1.25 && summary.meanTunedWarmSearchSeconds == 0.625)
        #expect(summary.text.hasPrefix("tuned over exhaustive: geometric mean 1.052, within 5% on 3 of 4 problems (worst 1.200)"))
        #expect(ComparisonSummary([]) == nil)
    }
}
