import Runtime
import SparseFormats

/// The measured result of one candidate on one problem.
public struct CandidateResult: Codable, Sendable {
    public var name: String
    public var role: CandidateRole
    public var precision: ComputePrecision
    /// `ok`, `wrong` (output failed the check: its time is not reported as a result),
    /// `skipped` or `error`.
    public var status: Status
    public var detail: String?
    public var relativeError: Double?
    public var medianSeconds: Double?
    public var minSeconds: Double?
    public var runs: Int
    public var gflops: Double?
    /// Floor time over measured time: 1.0 would be at the machine's ceiling.
    public var fractionOfFloor: Double?
    /// The kernel configuration used, for candidates that have one.
    public var config: String?
    /// Registers, spills and shared memory of the chosen kernel, as the compiler reported.
    public var resources: String?
    /// Every configuration a sweep timed (with `--sweep`).
    public var sweep: [SweepEntry]?

    public enum Status: String, Codable, Sendable { case ok, wrong, skipped, error }

    public init(name: String, role: CandidateRole, precision: ComputePrecision, status: Status, detail: String? = nil) {
        self.name = name
        self.role = role
        self.precision = precision
        self.status = status
        self.detail = detail
        self.runs = 0
    }
}

/// Everything measured on one problem.
public struct ProblemResult: Codable, Sendable {
    public var name: String
    public var suite: String
    public var rows: Int
    public var columns: Int
    public var nnz: Int
    public var sparsity: Double
    public var nominalSparsity: Double
    public var m: Int
    public var dtype: String
    public var flops: Double
    public var minimumBytes: Double
    /// max(FLOPs / peak, bytes / bandwidth): no kernel can beat this.
    public var floorSeconds: Double
    public var candidates: [CandidateResult]

    /// Our best correct time.
    public var bestOurs: CandidateResult? {
        candidates.filter { $0.role == .ours && $0.status == .ok }.min { ($0.medianSeconds ?? .infinity) < ($1.medianSeconds ?? .infinity) }
    }

    /// Speedup of our best over each correct baseline (baseline time / our time), plus,
    /// for a library timed with several algorithms (`cusparse-fp32-alg1`, `-alg2`, ...),
    /// its best algorithm on this problem (`cusparse-fp32-best`).
    public var speedups: [String: Double] {
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
public struct SpeedupSummary: Codable, Sendable {
    public var baseline: String
    public var sparsity: Double
    public var geometricMean: Double
    public var problems: Int
}

/// A whole benchmark run: where, when, what, and every problem's results.
public struct BenchReport: Codable, Sendable {
    public var tool: String = "sparrow bench spmm"
    public var command: String
    public var date: String
    public var commit: String
    public var machine: String
    public var device: String
    public var ceilings: MachineCeilings
    public var warmup: Int
    public var iterations: Int
    /// How one timed run is measured on this device.
    public var timingMethod: String
    public var problems: [ProblemResult]
    public var summary: [SpeedupSummary]
    /// Problems with any candidate whose output failed its check.
    public var failures: Int

    public init(
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
    public static func summarize(_ problems: [ProblemResult]) -> [SpeedupSummary] {
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
