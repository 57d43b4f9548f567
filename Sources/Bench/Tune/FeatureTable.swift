import Foundation
import KernelGen
import Tuner
import TuningStore

/// The training table of the learned cost model: one row per correct, fully timed GPU SpMM trial,
/// with its problem group, its source, its measured time, the group's best time, and
/// ``Tuner/SpMMFeatures``' vector. `scripts/train-cost-model.py` reads it and computes no
/// feature itself.
package struct FeatureTable: Sendable {
    /// The columns before the features.
    package static let leadingColumns = [
        "group", "source", "device", "dtype", "n", "config", "seconds", "best_seconds", "group_size",
    ]

    /// CSV lines, the header first.
    package private(set) var lines: [String]
    /// Rows written and problem groups.
    package private(set) var rows = 0
    package private(set) var groups = 0
    /// Trials left out, by reason (`"not ok"`, `"no pattern statistics"`, ...).
    package private(set) var skipped: [String: Int] = [:]

    /// The table of `trials` (rows of a database or an export, in any order). A group is one
    /// problem in one measurement context; groups are numbered in the order of their keys.
    package init(_ trials: [StoredTrial]) {
        lines = [(Self.leadingColumns + SpMMFeatures.names).joined(separator: ",")]
        let keying = SpMMTrialKeying()
        var byGroup: [GroupKey: [StoredTrial]] = [:]
        for trial in trials {
            guard trial.problem.op == SpMMTrialKeying.op else { skipped["not GPU SpMM", default: 0] += 1; continue }
            guard trial.status == .ok, trial.phase == .full, trial.realSeconds != nil else {
                skipped["not ok or not fully timed", default: 0] += 1
                continue
            }
            byGroup[GroupKey(problem: trial.problem, context: trial.context), default: []].append(trial)
        }
        for key in byGroup.keys.sorted() {
            guard let members = byGroup[key], let first = members.first else { continue }
            let problem: SpMMProblem, pattern: PatternStatistics?
            do {
                (problem, pattern) = try keying.problem(of: first)
            } catch {
                skipped["\(error)".contains("schema v2") ? "no pattern statistics (v1 row)" : "\(error)", default: 0] += members.count
                continue
            }
            let features = SpMMFeatures(problem, pattern: pattern)
            let best = members.compactMap(\.realSeconds).min() ?? .nan
            var written = 0
            for trial in members.sorted(by: { $0.config < $1.config }) {
                guard let seconds = trial.realSeconds, let config = try? SpMMConfig(parsing: trial.config) else {
                    skipped["config id does not parse", default: 0] += 1
                    continue
                }
                let leading = [
                    "\(groups)", Self.field(first.details.source ?? ""), Self.field(first.context.deviceName),
                    first.problem.elementType, "\(first.problem.width)", config.description, "\(seconds)", "\(best)",
                    "\(members.count)",
                ]
                lines.append((leading + features.vector(config).map(Self.number)).joined(separator: ","))
                written += 1
            }
            rows += written
            groups += 1
        }
    }

    /// The table as CSV text.
    package var csv: Data { Data((lines.joined(separator: "\n") + "\n").utf8) }

    /// `text` as one CSV field: quoted when it holds a comma, a quote or a newline.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A feature as CSV: empty for NaN (missing), else the shortest exact decimal.
    static func number(_ value: Double) -> String {
        value.isNaN ? "" : "\(value)"
    }

    /// One problem in one context.
    struct GroupKey: Hashable, Comparable {
        var problem: StoredProblemKey
        var context: TuningContext

        var sortKey: [String] {
            [
                context.deviceName, context.computeCapability, context.driverVersion, context.nvrtcVersion,
                "\(context.generatorVersion)", problem.patternDigest, "\(problem.matrixRows)", "\(problem.matrixColumns)",
                problem.elementType, String(format: "%010d", problem.width), problem.variant,
            ]
        }

        static func < (a: GroupKey, b: GroupKey) -> Bool { a.sortKey.lexicographicallyPrecedes(b.sortKey) }
    }
}
