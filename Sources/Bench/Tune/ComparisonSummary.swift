import Foundation
import SparseFormats

/// What `--compare` found over every problem.
package struct ComparisonSummary: Sendable, Hashable, Codable {
    package var problems: Int
    /// Geometric mean of tuned over exhaustive time.
    package var geometricMeanRatio: Double
    /// Problems whose tuned pick is within 5% of the exhaustive best.
    package var within5Percent: Int
    /// The worst ratio.
    package var worstRatio: Double
    /// Exhaustive search seconds over tuned (cold) search seconds, summed over problems.
    package var searchSpeedup: Double
    /// Mean seconds per problem of the tuned search, as the cache came and warm.
    package var meanTunedSearchSeconds: Double
    package var meanTunedWarmSearchSeconds: Double
    /// Geometric mean of shortlist over tuned time (the target: at least 0.98), and of shortlist
    /// over exhaustive time, over the problems that re-timed the shortlist's pick.
    package var speedOverShortlist: Double?
    package var exhaustiveSpeedOverShortlist: Double?
    /// With `--proxy`: the mean Kendall tau, and the problems whose proxy pick is within 3% of
    /// the best full time of the candidates, of those with an agreement.
    package var meanProxyKendallTau: Double?
    package var proxyWithin3Percent: Int?
    package var proxyProblems: Int?
    /// With `--proxy`: geometric mean of the proxied pick's time over the exhaustive best, and
    /// the mean seconds of the proxied search per problem.
    package var proxyTunedOverExhaustive: Double?
    package var meanProxySearchSeconds: Double?

    /// The summary of `comparisons`; nil for none.
    package init?(_ comparisons: [TuneComparison]) {
        guard !comparisons.isEmpty else { return nil }
        let count = Double(comparisons.count)
        problems = comparisons.count
        geometricMeanRatio = Statistics.geometricMean(comparisons.map(\.ratio))
        within5Percent = comparisons.count { $0.ratio <= 1.05 }
        worstRatio = comparisons.map(\.ratio).max() ?? .nan
        let tuned = comparisons.reduce(0) { $0 + $1.tunedSearchSeconds }
        searchSpeedup = comparisons.reduce(0) { $0 + $1.exhaustiveSearchSeconds } / max(tuned, 1e-9)
        meanTunedSearchSeconds = tuned / count
        meanTunedWarmSearchSeconds = comparisons.reduce(0) { $0 + $1.tunedWarmSearchSeconds } / count
        let shortlisted = comparisons.filter { $0.shortlistSeconds != nil }
        if !shortlisted.isEmpty {
            speedOverShortlist = Statistics.geometricMean(shortlisted.compactMap(\.speedOverShortlist))
            exhaustiveSpeedOverShortlist = Statistics.geometricMean(
                shortlisted.compactMap { c in c.shortlistSeconds.map { $0 / c.exhaustiveSeconds } })
        }
        let proxied = comparisons.compactMap { c in c.proxySeconds.map { ($0 / c.exhaustiveSeconds, c.proxySearchSeconds ?? 0) } }
        if !proxied.isEmpty {
            proxyTunedOverExhaustive = Statistics.geometricMean(proxied.map(\.0))
            meanProxySearchSeconds = proxied.reduce(0) { $0 + $1.1 } / Double(proxied.count)
        }
        let agreements = comparisons.compactMap(\.proxyAgreement)
        if !agreements.isEmpty {
            meanProxyKendallTau = agreements.reduce(0) { $0 + $1.kendallTau } / Double(agreements.count)
            proxyWithin3Percent = agreements.count(where: \.proxyBestWithin3Percent)
            proxyProblems = agreements.count
        }
    }

    /// One paragraph for the text report.
    package var text: String {
        String(
            format: "tuned over exhaustive: geometric mean %.3f, within 5%% on %d of %d problems (worst %.3f); "
                + "search %.1fx cheaper (tuned %.2f s per problem as the cache came, %.2f s warm)",
            geometricMeanRatio, within5Percent, problems, worstRatio, searchSpeedup, meanTunedSearchSeconds,
            meanTunedWarmSearchSeconds)
            + (speedOverShortlist.map { speed in
                String(
                    format: "; tuned speed over the 16-config shortlist: geometric mean %.3fx (exhaustive %.3fx; target >= 0.98)",
                    speed, exhaustiveSpeedOverShortlist ?? .nan)
            } ?? "")
            + (meanProxyKendallTau.map { tau in
                String(
                    format: "; proxy against full times: mean Kendall tau %.3f, proxy's pick within 3%% of the best "
                        + "of its candidates on %d of %d problems; proxied search over exhaustive: geometric mean %.3f (%.2f s per problem, warm)",
                    tau, proxyWithin3Percent ?? 0, proxyProblems ?? 0, proxyTunedOverExhaustive ?? .nan, meanProxySearchSeconds ?? .nan)
            } ?? "")
    }
}
