import Runtime
import SparseFormats

/// The measured result of one candidate on one problem.
package struct CandidateResult: Codable, Sendable {
    package var name: String
    package var role: CandidateRole
    package var precision: ComputePrecision
    /// `ok`, `wrong` (output failed the check: its time is not reported as a result),
    /// `skipped` or `error`.
    package var status: Status
    package var detail: String?
    package var relativeError: Double?
    package var medianSeconds: Double?
    package var minSeconds: Double?
    package var runs: Int
    package var gflops: Double?
    /// Floor time over measured time: 1.0 would be at the machine's ceiling.
    package var fractionOfFloor: Double?
    /// The kernel configuration used, for candidates that have one.
    package var config: String?
    /// Where ``config`` came from: `tuned` (recalled from the tuning database), `search` or
    /// `fixed`; nil for candidates without one and in older reports.
    package var configOrigin: ConfigOrigin?
    /// Registers, spills and shared memory of the chosen kernel, as the compiler reported.
    package var resources: String?
    /// Every configuration a sweep timed (with `--sweep`).
    package var sweep: [SweepEntry]?
    /// True when the timed runs spread widely (median over minimum above
    /// ``CandidateResult/unstableSpread``): the machine or the clock disturbed them. Nil when not
    /// timed, and in reports written before the check existed.
    package var unstableTiming: Bool?
    /// Device copies of W the timed launches rotated through (1: warm; see ``ColdRotation``).
    package var coldCopies: Int?
    /// Bytes one launch reads: W in the candidate's format, X and Y (nil when unknown).
    package var streamedBytes: Double?
    /// ``streamedBytes`` over the median time.
    package var achievedBytesPerSecond: Double?
    /// The byte bound (``streamedBytes`` over the machine's bandwidth) over the median time.
    package var fractionOfByteBound: Double?

    package enum Status: String, Codable, Sendable { case ok, wrong, skipped, error }

    package init(name: String, role: CandidateRole, precision: ComputePrecision, status: Status, detail: String? = nil) {
        self.name = name
        self.role = role
        self.precision = precision
        self.status = status
        self.detail = detail
        self.runs = 0
    }
}

/// Everything measured on one problem.
package struct ProblemResult: Codable, Sendable {
    package var name: String
    package var suite: String
    package var rows: Int
    package var columns: Int
    package var nnz: Int
    package var sparsity: Double
    package var nominalSparsity: Double
    package var m: Int
    package var dtype: String
    package var flops: Double
    package var minimumBytes: Double
    /// max(FLOPs / peak, bytes / bandwidth): no kernel can beat this.
    package var floorSeconds: Double
    package var candidates: [CandidateResult]

    /// Our best correct time.
    package var bestOurs: CandidateResult? {
        candidates.filter { $0.role == .ours && $0.status == .ok }.min { ($0.medianSeconds ?? .infinity) < ($1.medianSeconds ?? .infinity) }
    }

    /// Speedup of our best over each correct baseline (baseline time / our time), plus,
    /// for a library timed with several algorithms (`cusparse-fp32-alg1`, `-alg2`, ...),
    /// its best algorithm on this problem (`cusparse-fp32-best`).
    package var speedups: [String: Double] {
        guard let ours = bestOurs?.medianSeconds else { return [:] }
        var out: [String: Double] = [:]
        var bestOfFamily: [String: (count: Int, time: Double)] = [:]
        for c in candidates where c.role == .baseline && c.status == .ok {
            guard let t = c.medianSeconds else { continue }
            out[c.name] = t / ours
            // Only algorithm variants of one library at one precision form a family
            // (`cusparse-fp32-alg1`, `-default`); different precisions never do.
            if let dash = c.name.lastIndex(of: "-"),
               c.name[c.name.index(after: dash)...].hasPrefix("alg") || c.name.hasSuffix("-default") {
                let family = String(c.name[..<dash])
                let current = bestOfFamily[family]
                bestOfFamily[family] = (count: (current?.count ?? 0) + 1, time: min(current?.time ?? .infinity, t))
            }
        }
        for (family, entry) in bestOfFamily where entry.count > 1 { out["\(family)-best"] = entry.time / ours }
        return out
    }
}

/// Geometric mean of one speedup over the problems of one sparsity.
package struct SpeedupSummary: Codable, Sendable {
    package var baseline: String
    package var sparsity: Double
    package var geometricMean: Double
    package var problems: Int
}

/// A whole benchmark run: where, when, what, and every problem's results.
package struct BenchReport: Codable, Sendable {
    package var tool: String = "sparrow bench spmm"
    package var command: String
    package var date: String
    package var commit: String
    package var machine: String
    package var device: String
    package var ceilings: MachineCeilings
    package var warmup: Int
    package var iterations: Int
    /// How one timed run is measured on this device.
    package var timingMethod: String
    package var problems: [ProblemResult]
    package var summary: [SpeedupSummary]
    /// Problems with any candidate whose output failed its check.
    package var failures: Int
    /// The machine's load when the run started and ended (nil in older reports, and off Linux).
    package var loadAtStart: MachineLoad?
    package var loadAtEnd: MachineLoad?
    /// The device as `--resume` matches it (`cpu`, or the GPU's name); nil in older reports.
    package var deviceKey: String?
    /// How many problems were taken from an earlier run's results (`--resume`), and from where.
    package var resumedProblems: Int?
    package var resumedFrom: String?
    /// The tuning database whose tuned configs Sparrow's GPU candidate used where it held one
    /// (nil: none was read).
    package var tuningDatabase: String?
    /// The problems (`name n=m`) on which a candidate used a config recalled from it.
    package var tunedProblems: [String]?

    package init(
        command: String, date: String, commit: String, machine: String, device: String,
        ceilings: MachineCeilings, warmup: Int, iterations: Int, timingMethod: String, problems: [ProblemResult]
    ) {
        self.timingMethod = timingMethod
        self.command = command
        self.date = date
        self.commit = commit
        self.machine = machine
        self.device = device
        self.ceilings = ceilings
        self.warmup = warmup
        self.iterations = iterations
        self.problems = problems
        self.summary = BenchReport.summarize(problems)
        self.failures = problems.filter { $0.candidates.contains { $0.status == .wrong } }.count
    }

    /// Geometric means of every baseline's speedup, per nominal sparsity.
    package static func summarize(_ problems: [ProblemResult]) -> [SpeedupSummary] {
        var groups: [String: [Double: [Double]]] = [:]
        for p in problems {
            for (baseline, s) in p.speedups { groups[baseline, default: [:]][p.nominalSparsity, default: []].append(s) }
        }
        var out: [SpeedupSummary] = []
        for baseline in groups.keys.sorted() {
            for (sparsity, values) in groups[baseline, default: [:]].sorted(by: { $0.key < $1.key }) {
                out.append(SpeedupSummary(baseline: baseline, sparsity: sparsity, geometricMean: Statistics.geometricMean(values), problems: values.count))
            }
        }
        return out
    }
}
