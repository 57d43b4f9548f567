import Foundation

/// What a running benchmark reports as it goes, for a status line or a log.
package struct BenchProgress: Sendable {
    package enum Kind: Sendable {
        /// What is being done now (preparing, timing a candidate): worth showing on a terminal's
        /// status line, noise in a log.
        case step
        /// A problem finished: its numbers and the time left. One line each in a log.
        case problem
    }

    package var kind: Kind
    package var line: String
    /// For a finished problem: the mean time per problem so far times the problems left (nil
    /// after the last one).
    package var secondsLeft: Double?

    package init(_ kind: Kind, _ line: String, secondsLeft: Double? = nil) {
        self.kind = kind
        self.line = line
        self.secondsLeft = secondsLeft
    }

    /// The line with the time left, for a log.
    package var logLine: String {
        secondsLeft.map { "\(line); about \(Self.duration($0)) left" } ?? line
    }

    /// `45s`, `3m05s`, `1h02m` (at least `1s`).
    package static func duration(_ seconds: Double) -> String {
        let s = max(1, Int(seconds.rounded()))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}

extension ProblemResult {
    /// The fastest correct baseline.
    package var bestBaseline: CandidateResult? {
        candidates.filter { $0.role == .baseline && $0.status == .ok && $0.medianSeconds != nil }
            .min { ($0.medianSeconds ?? .infinity) < ($1.medianSeconds ?? .infinity) }
    }

    /// `[3/8] name n=16 nnz=2048: sparrow-cpu 12.3 us, best baseline openblas-sgemm 45.6 us (3.71x)`.
    package func progressLine(position: String) -> String {
        func time(_ c: CandidateResult) -> String {
            String(format: "%.1f us", (c.medianSeconds ?? .nan) * 1e6) + (c.unstableTiming == true ? " (unstable)" : "")
        }
        var line = "\(position) \(name) n=\(m) nnz=\(nnz): "
        if let ours = bestOurs {
            line += "\(ours.name) \(time(ours))" + (ours.configOrigin == .tuned ? " (tuned config)" : "")
        } else {
            let first = candidates.first { $0.role == .ours }
            line += "ours \(first?.status.rawValue ?? "none")"
        }
        if let baseline = bestBaseline {
            line += ", best baseline \(baseline.name) \(time(baseline))"
            if let ours = bestOurs?.medianSeconds, let theirs = baseline.medianSeconds {
                line += String(format: " (%.2fx)", theirs / ours)
            }
        } else {
            line += ", no baseline ran"
        }
        if candidates.contains(where: { $0.status == .wrong }) { line += "; a check FAILED" }
        return line
    }
}
