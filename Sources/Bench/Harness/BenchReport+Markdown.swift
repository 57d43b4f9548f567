import Runtime
import Foundation

extension BenchReport {
    /// Names of the candidates in order of first appearance, ours first.
    var candidateNames: (ours: [String], baselines: [String]) {
        var ours: [String] = [], baselines: [String] = []
        for p in problems {
            for c in p.candidates {
                if c.role == .ours, !ours.contains(c.name) { ours.append(c.name) }
                if c.role == .baseline, !baselines.contains(c.name) { baselines.append(c.name) }
            }
        }
        return (ours, baselines)
    }

    /// A markdown report: provenance, one row per problem, then the geometric means.
    package func markdown() -> String {
        let names = candidateNames
        var lines: [String] = []
        lines.append("# \(tool)")
        lines.append("")
        lines.append("- command: `\(command)`")
        lines.append("- date: \(date), commit: \(commit)")
        lines.append("- machine: \(machine)")
        lines.append("- device: \(device)")
        lines.append("- ceilings: \(String(format: "%.1f", ceilings.peakFlops / 1e9)) GFLOP/s, \(String(format: "%.1f", ceilings.bandwidthBytesPerSecond / 1e9)) GB/s (\(ceilings.source))")
        if let one = ceilings.launchSeconds, let full = ceilings.fullGridLaunchSeconds {
            lines.append("- launch cost (an empty kernel, timed like the candidates): \(String(format: "%.2f", one * 1e6)) us for one block, \(String(format: "%.2f", full * 1e6)) us for 8 blocks of 256 threads per SM")
        }
        lines.append("- timing: median of \(iterations) runs after \(warmup) warm-up runs; \(timingMethod); every output checked against a Float64 reference first")
        lines += loadLines
        if let resumedProblems, resumedProblems > 0 {
            lines.append("- resumed: \(resumedProblems) problems were measured by an earlier run (\(resumedFrom ?? "an earlier report")), under that run's conditions")
        }
        if let tuningDatabase {
            let tuned = tunedProblems ?? []
            lines.append("- tuned configs: Sparrow's GPU kernel used the config `sparrow tune` stored in \(tuningDatabase) on \(tuned.count) of \(problems.count) problems (its own search on the others)")
        }
        lines.append("")
        var header = ["problem", "n", "nnz", "sparsity", "ours", "best ours (us)", "GFLOP/s", "floor %"]
        for b in names.baselines { header.append("\(b) (us)") }
        for b in names.baselines { header.append("x \(b)") }
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + header.map { _ in " --- " }.joined(separator: "|") + "|")
        for p in problems {
            var row = [p.name, "\(p.m)", "\(p.nnz)", String(format: "%.3f", p.sparsity)]
            if let best = p.bestOurs, best.medianSeconds != nil {
                row += [best.name, Self.time(best), String(format: "%.1f", best.gflops ?? 0), Self.floorPercent(best.fractionOfFloor)]
            } else {
                let why = p.candidates.first { $0.role == .ours }.map { "\($0.status.rawValue)" } ?? "none"
                row += [why, "-", "-", "-"]
            }
            for b in names.baselines {
                let c = p.candidates.first { $0.name == b }
                row.append(c.map { $0.status == .ok ? Self.time($0) : $0.status.rawValue } ?? "-")
            }
            let speedups = p.speedups
            for b in names.baselines {
                row.append(speedups[b].map { String(format: "%.2f", $0) + (p.speedupIsUnstable(over: b) ? "~" : "") } ?? "-")
            }
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        lines += legendLines
        lines.append("")
        lines.append("## Geometric mean speedup of Sparrow's best over each baseline")
        lines.append("")
        let sparsities = Array(Set(summary.map(\.sparsity))).sorted()
        lines.append("| baseline | " + sparsities.map { String(format: "%.2f", $0) }.joined(separator: " | ") + " |")
        lines.append("| --- |" + sparsities.map { _ in " --- " }.joined(separator: "|") + "|")
        for b in names.baselines {
            var row = [b]
            for s in sparsities {
                let entry = summary.first { $0.baseline == b && $0.sparsity == s }
                row.append(entry.map { String(format: "%.2fx (%d)", $0.geometricMean, $0.problems) } ?? "-")
            }
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        let wrong = problems.flatMap { p in p.candidates.filter { $0.status == .wrong || $0.status == .error }.map { "\(p.name) n=\(p.m): \($0.name): \($0.status.rawValue): \($0.detail ?? "")" } }
        if !wrong.isEmpty {
            lines.append("")
            lines.append("## Failed checks and errors")
            lines.append("")
            for w in wrong { lines.append("- \(w)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func us(_ seconds: Double) -> String {
        let v = seconds * 1e6
        return v >= 100 ? String(format: "%.0f", v) : String(format: "%.2f", v)
    }
}
