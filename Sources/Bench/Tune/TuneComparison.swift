import Tuner

/// A tuned pick against the exhaustive best of the same space on one problem (`sparrow tune
/// --compare`): both searches run in the same process, then the two picks are re-timed
/// together, interleaved, so that neither side's time is a minimum over many noisy timings.
package struct TuneComparison: Sendable, Hashable, Codable {
    /// The exhaustive search's pick, and the trials it measured.
    package var exhaustiveConfig: String
    package var exhaustiveTrials: Int
    /// Wall seconds from the pattern to the chosen config, compiling included: the exhaustive
    /// search (after the tuned one, so with its few kernels cached), the tuned one with the
    /// kernel cache as it came, and again once the exhaustive search has compiled everything.
    package var exhaustiveSearchSeconds: Double
    package var tunedSearchSeconds: Double
    package var tunedWarmSearchSeconds: Double
    /// The two picks' medians over the interleaved re-timing.
    package var tunedSeconds: Double
    package var exhaustiveSeconds: Double

    /// The 16-config shortlist's pick (measured portfolio + hand model) and its median in the
    /// same re-timing.
    package var shortlistConfig: String? = nil
    package var shortlistSeconds: Double? = nil
    /// With `--proxy`: the tuned search through the proxy stage (after the others, so warm):
    /// its pick, that pick's median in the same re-timing, its search seconds, and how its proxy
    /// times ranked its candidates against their full times in the exhaustive search.
    package var proxyConfig: String? = nil
    package var proxySeconds: Double? = nil
    package var proxySearchSeconds: Double? = nil
    package var proxyAgreement: ProxyAgreement? = nil

    /// Tuned time over exhaustive time (1 or less: the tuned pick is as fast).
    package var ratio: Double { tunedSeconds / exhaustiveSeconds }

    /// The shortlist pick's time over the tuned pick's: the tuned pick's speed relative to the
    /// shortlist's (1 or more: at least as fast).
    package var speedOverShortlist: Double? { shortlistSeconds.map { $0 / tunedSeconds } }
}
