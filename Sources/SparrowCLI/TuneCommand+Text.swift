import Bench
import Foundation

extension TuneListing {
    /// The database's path, then its contexts and its counts by family and status as tables.
    func text() -> String {
        let out = "tuning database \(database): \(trials) trials of \(problems) problems\n"
        if contexts.isEmpty { return out }
        var machines = TextTable(
            headers: ["device", "cc", "driver", "nvrtc", "gen", "trials", "ok", "problems", "last recorded"],
            alignments: [.left, .left, .left, .left, .right, .right, .right, .right, .left])
        for c in contexts {
            machines.append([
                c.device, c.computeCapability.isEmpty ? "-" : c.computeCapability, c.driver.isEmpty ? "-" : c.driver,
                c.nvrtc.isEmpty ? "-" : c.nvrtc, "\(c.generator)", "\(c.trials)", "\(c.okTrials)", "\(c.problems)",
                c.lastRecorded,
            ])
        }
        var families = TextTable(headers: ["family", "status", "trials"], alignments: [.left, .left, .right])
        for count in counts { families.append([count.family, count.status, "\(count.count)"]) }
        return out + "\n" + machines.render() + "\n" + families.render()
    }
}

extension TuneReport {
    /// One row per problem: the search's counts, the chosen config, its time and the default's.
    func text() -> String {
        var table = TextTable(
            headers: ["problem", "n", "candidates", "measured", "recalled", "chosen", "time", "default", "speedup"],
            alignments: [.left, .right, .right, .right, .right, .left, .right, .right, .right])
        for p in problems {
            table.append([
                p.name, "\(p.n)", "\(p.candidates)/\(p.enumerated)", "\(p.measured)", "\(p.recalled)", p.chosen,
                TunedProblem.time(p.seconds), p.defaultSeconds.map(TunedProblem.time) ?? "-",
                p.speedup.map { String(format: "%.2fx", $0) } ?? "-",
            ])
        }
        var text = "tuned \(problems.count) problems on \(device) (\(strategy)) into \(database): "
            + "\(measured) trials measured, \(recalled) recalled\n\n" + table.render()
        if let comparison { text += "\n" + comparisonTable() + "\n" + comparison.text + "\n" }
        if !ruleAudit.isEmpty { text += "\n" + ruleAuditTable() }
        return text
    }

    /// With `--compare`: per problem, the picks re-timed together and the searches' costs.
    func comparisonTable() -> String {
        var table = TextTable(
            headers: [
                "problem", "n", "tuned", "exhaustive", "tuned/exh.", "shortlist/tuned", "proxied/exh.", "proxy tau",
                "search s", "warm s", "exhaustive s", "trials",
            ],
            alignments: [.left, .right, .left, .left, .right, .right, .right, .right, .right, .right, .right, .right])
        func figure(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "-" }
        for p in problems {
            guard let c = p.comparison else { continue }
            table.append([
                p.name, "\(p.n)", p.chosen, c.exhaustiveConfig, String(format: "%.3f", c.ratio), figure(c.speedOverShortlist),
                figure(c.proxySeconds.map { $0 / c.exhaustiveSeconds }), figure(c.proxyAgreement?.kendallTau),
                String(format: "%.2f", c.tunedSearchSeconds), String(format: "%.2f", c.tunedWarmSearchSeconds),
                String(format: "%.2f", c.exhaustiveSearchSeconds), "\(p.measured)/\(c.exhaustiveTrials)",
            ])
        }
        return table.render()
    }

    /// With `--audit-rules`: per pruning rule, what measuring a sample of its removals found.
    func ruleAuditTable() -> String {
        var table = TextTable(
            headers: ["rule", "problems", "removed", "measured", "correct", "beat survivors", "largest margin"],
            alignments: [.left, .right, .right, .right, .right, .right, .right])
        for r in ruleAudit {
            table.append([
                r.rule, "\(r.problems)", "\(r.removed)", "\(r.measured)", "\(r.correct)", "\(r.beaten)/\(r.problems)",
                r.largestSpeedup.map { String(format: "%.3fx", $0) } ?? "-",
            ])
        }
        return "pruning rules audited (a removed config faster than every survivor measured counts as a beat):\n"
            + table.render()
    }
}
