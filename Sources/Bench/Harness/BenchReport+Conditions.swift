import Foundation

// What a report says about the conditions its numbers were taken under: a busy machine, a
// candidate whose runs spread widely, a time that beats a floor that is only an estimate.

extension CandidateResult {
    /// Median over minimum above this flags a candidate's timing as unstable: 1.5 means the
    /// typical run took half as long again as the best one, so something else was running.
    package static let unstableSpread = 1.5

    /// The rule, in words, for reports.
    package static let unstableRule = "median over minimum of its timed runs above \(unstableSpread)"

    /// Whether times with this median and minimum spread beyond ``unstableSpread``.
    package static func isUnstable(median: Double, minimum: Double) -> Bool {
        minimum > 0 && median / minimum > unstableSpread
    }

    /// True when this candidate was timed and flagged unstable.
    var timingIsUnstable: Bool { unstableTiming == true }
}

extension ProblemResult {
    /// Whether the speedup over `baseline` rests on an unstable time: the baseline's or ours.
    package func speedupIsUnstable(over baseline: String) -> Bool {
        (bestOurs?.timingIsUnstable ?? false) || candidates.contains { $0.name == baseline && $0.timingIsUnstable }
    }
}

extension BenchReport {
    /// Markdown lines on the machine's load at start and end, and a warning when it was busy.
    var loadLines: [String] {
        guard let any = loadAtStart ?? loadAtEnd else { return [] }
        var lines = ["- machine load (1-minute load average, \(any.cores) cores): \(Self.load(loadAtStart)) at the start, \(Self.load(loadAtEnd)) at the end"]
        if let warning = loadWarning { lines.append("- **warning: \(warning)**") }
        return lines
    }

    /// One line when the machine was busy at the start or end of the run, else nil.
    package var loadWarning: String? {
        let busyStart = loadAtStart?.isBusy() ?? false
        let busyEnd = loadAtEnd?.isBusy(ownThreads: 1) ?? false
        guard busyStart || busyEnd, let cores = (loadAtStart ?? loadAtEnd)?.cores else { return nil }
        return "the machine was busy: 1-minute load \(Self.load(loadAtStart)) at the start and \(Self.load(loadAtEnd)) at the end on \(cores) cores (\(MachineLoad.rule)); times may be inflated and ratios skewed: rerun on an idle machine"
    }

    static func load(_ load: MachineLoad?) -> String {
        load.map { String(format: "%.2f", $0.oneMinute) } ?? "unknown"
    }

    /// Legend lines for the marks the table used; empty when it used none.
    var legendLines: [String] {
        let unstable = problems.contains { $0.candidates.contains(where: \.timingIsUnstable) }
        let beyondFloor = problems.contains { ($0.bestOurs?.fractionOfFloor ?? 0) > 1 }
        var lines: [String] = []
        if unstable {
            lines.append("- `~`: unstable timing (\(CandidateResult.unstableRule)); a speedup marked `~` rests on such a time, ours or the baseline's")
        }
        if beyondFloor {
            lines.append("- `!`: faster than the floor, which is only an estimate from the ceilings above (\(ceilings.source)); the ceiling is too low, not the kernel faster than the machine")
        }
        return lines.isEmpty ? [] : [""] + lines
    }

    /// A time in microseconds, with `~` when its runs spread widely.
    static func time(_ candidate: CandidateResult) -> String {
        us(candidate.medianSeconds ?? .nan) + (candidate.timingIsUnstable ? "~" : "")
    }

    /// The floor fraction in percent; above 100 it gets a `!`, never silently.
    static func floorPercent(_ fraction: Double?) -> String {
        let value = fraction ?? 0
        return String(format: "%.1f", 100 * value) + (value > 1 ? "!" : "")
    }
}
