/// How well a proxy ranks candidates against their full times on one problem: Kendall's tau
/// (tau-b, ties counted as neither agreeing nor disagreeing) over the candidates with both times,
/// and how far the proxy's fastest candidate is from the fastest by full time.
package struct ProxyAgreement: Sendable, Hashable, Codable {
    /// Candidates with both a proxy and a full time.
    package var candidates: Int
    /// Kendall's tau-b between proxy and full times: 1 the same order, -1 the reverse.
    package var kendallTau: Double
    /// Full time of the proxy's fastest candidate over the fastest full time (1: the proxy's
    /// pick is the best).
    package var proxyBestRatio: Double

    /// Whether the proxy's pick is within 3% of the best.
    package var proxyBestWithin3Percent: Bool { proxyBestRatio <= 1.03 }

    /// The agreement of `proxy` and `full` times over the keys both hold; nil for fewer than two.
    package init?<Key: Hashable>(proxy: [Key: Double], full: [Key: Double]) {
        let keys = proxy.keys.filter { full[$0] != nil }
        guard keys.count >= 2 else { return nil }
        let pairs = keys.compactMap { key in proxy[key].flatMap { p in full[key].map { (p, $0) } } }
        var concordant = 0.0, discordant = 0.0, proxyTies = 0.0, fullTies = 0.0
        for i in pairs.indices {
            for j in pairs.indices where j > i {
                let a = pairs[i].0 - pairs[j].0, b = pairs[i].1 - pairs[j].1
                if a == 0 && b == 0 { continue }
                if a == 0 { proxyTies += 1 } else if b == 0 { fullTies += 1 } else if (a > 0) == (b > 0) { concordant += 1 } else { discordant += 1 }
            }
        }
        let denominator = ((concordant + discordant + proxyTies) * (concordant + discordant + fullTies)).squareRoot()
        candidates = pairs.count
        kendallTau = denominator > 0 ? (concordant - discordant) / denominator : 1
        // min(by:) keeps the first of equal elements.
        let bestFull = pairs.map(\.1).min() ?? .nan
        let pick = pairs.min { $0.0 < $1.0 }.map(\.1) ?? .nan
        proxyBestRatio = pick / bestFull
    }
}
