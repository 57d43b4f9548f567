import CUDA

/// A greedy all-pairs cover, CI's way of bounding the NVRTC samples (`KernelCorpus.sample(_:)`,
/// `AttentionKernelsTests.compileSample(full:)`): from candidates described by their knobs
/// (`name=value` strings: config id parts, dtype, architecture, ...), the fewest it finds such that
/// every two knob values that occur together in some candidate occur together in a chosen one. Each
/// round takes the candidate forming the most value pairs not yet covered; ties go to the first in an
/// order shuffled by a stable hash of `key`, so the sample spreads over the space and is the same in
/// every process. A sample grows with the product of the two largest knob ranges, not with the space.
enum PairwiseCover {
    static func cover<Candidate>(_ candidates: [Candidate], key: (Candidate) -> String, knobs: (Candidate) -> [String]) -> [Candidate] {
        let ordered = candidates.map { (StableHasher.fnv1a64("\(key($0))/cover".utf8), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
        var ids: [String: Int] = [:]
        let features = ordered.map { candidate in
            knobs(candidate).map { knob in
                if let id = ids[knob] { return id }
                ids[knob] = ids.count
                return ids.count - 1
            }
        }
        let width = ids.count
        let valuePairs = features.map { list in
            list.indices.flatMap { i in list[(i + 1)...].map { min(list[i], $0) * width + max(list[i], $0) } }
        }
        var uncovered = [Bool](repeating: false, count: width * width)
        for list in valuePairs { for key in list { uncovered[key] = true } }
        var left = uncovered.filter { $0 }.count
        var chosen: [Candidate] = []
        while left > 0 {
            var best = 0, bestGain = 0
            for (index, list) in valuePairs.enumerated() {
                let gain = list.reduce(0) { $0 + (uncovered[$1] ? 1 : 0) }
                if gain > bestGain { (best, bestGain) = (index, gain) }
            }
            for key in valuePairs[best] where uncovered[key] { uncovered[key] = false }
            left -= bestGain
            chosen.append(ordered[best])
        }
        return chosen
    }

    /// The knobs a dotted config id names: each part with digits as `name=value` (`r16` is `r=16`,
    /// `db1` is `db=1`, `k64` is `k=64`); parts without digits (a family's or variant's name,
    /// `split`) are left out, for the caller to name.
    static func knobs(ofID id: String) -> [String] {
        id.split(separator: ".").compactMap { part in
            let name = part.prefix { !$0.isNumber }
            return name.count == part.count ? nil : "\(name)=\(part.dropFirst(name.count))"
        }
    }

    /// Every two of `knobs`, as one string each (what ``cover(_:key:knobs:)`` covers).
    static func valuePairs(_ knobs: [String]) -> [String] {
        knobs.indices.flatMap { i in knobs[(i + 1)...].map { "\(knobs[i]) \($0)" } }
    }
}
