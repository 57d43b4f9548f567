import Foundation

/// Small statistics used by every benchmark.
public enum Statistics {
    /// The median (mean of the middle two for an even count); NaN for none.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        let mid = s.count / 2
        return s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
    }

    /// exp(mean(log x)); NaN for none or for any value that is not positive.
    public static func geometricMean(_ values: [Double]) -> Double {
        guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else { return .nan }
        return exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
    }
}

extension Duration {
    /// The duration in seconds, for timings and reports.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
