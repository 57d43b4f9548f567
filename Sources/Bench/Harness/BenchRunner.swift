import Runtime
import Foundation
import SparseFormats

/// Checks and times every candidate on every problem, baselines in the same run.
///
/// For each problem: X is drawn from a ``SeededGenerator`` (seed fixed per problem
/// name), Y is computed once in Float64 by ``ReferenceSpMM``, then each candidate is
/// prepared, its output checked against the reference (a wrong output is reported as
/// `wrong` and never timed), and timed as the median of `iterations` runs after `warmup`.
public struct BenchRunner {
    public var warmup: Int
    public var iterations: Int
    public var ceilings: MachineCeilings
    /// Bytes per element used for the floor (4 for fp32, 2 for fp16).
    public var elementBytes: Int
    public var dtype: String
    /// Called with one line of progress per problem (to stderr in the CLI).
    public var progress: (@Sendable (String) -> Void)?
    /// Keep every configuration a candidate's sweep timed in the report (large).
    public var recordSweeps = false

    public init(warmup: Int = 5, iterations: Int = 20, ceilings: MachineCeilings, elementBytes: Int = 4, dtype: String = "f32",
                progress: (@Sendable (String) -> Void)? = nil) {
        self.warmup = warmup
        self.iterations = iterations
        self.ceilings = ceilings
        self.elementBytes = elementBytes
        self.dtype = dtype
        self.progress = progress
    }

    public func run(_ problems: [SpMMBenchProblem], candidates: [any SpMMCandidate]) -> [ProblemResult] {
        var results: [ProblemResult] = []
        for (index, problem) in problems.enumerated() {
            let result = measure(problem, candidates: candidates)
            results.append(result)
            if let progress {
                let best = result.bestOurs.flatMap(\.medianSeconds).map { String(format: "%.1f us", $0 * 1e6) } ?? "-"
                progress("[\(index + 1)/\(problems.count)] \(problem.name) n=\(problem.m) nnz=\(problem.matrix.nnz): best ours \(best)")
            }
        }
        return results
    }

    public func measure(_ problem: SpMMBenchProblem, candidates: [any SpMMCandidate]) -> ProblemResult {
        let w = problem.matrix
        var generator = SeededGenerator(seed: BenchRunner.seed(for: problem))
        let x: [Float] = generator.signedUnitValues(w.columns * problem.m)
        let bytes = problem.minimumBytes(elementBytes: elementBytes)
        var result = ProblemResult(
            name: problem.name, suite: problem.suite, rows: w.rows, columns: w.columns, nnz: w.nnz,
            sparsity: w.sparsity, nominalSparsity: problem.nominalSparsity, m: problem.m, dtype: dtype,
            flops: problem.flops, minimumBytes: bytes,
            floorSeconds: ceilings.floorSeconds(flops: problem.flops, bytes: bytes), candidates: [])
        let reference: [Double]
        do {
            let xm = try DenseMatrix(rows: w.columns, columns: problem.m, storage: x)
            reference = try ReferenceSpMM.multiply(w, xm).storage
        } catch {
            preconditionFailure("benchmark problem \(problem.name) is malformed: \(error)")
        }
        for candidate in candidates {
            result.candidates.append(measure(candidate, problem, x: x, reference: reference, floor: result.floorSeconds))
            candidate.release()
        }
        return result
    }

    func measure(_ candidate: any SpMMCandidate, _ problem: SpMMBenchProblem, x: [Float], reference: [Double], floor: Double) -> CandidateResult {
        var r = CandidateResult(name: candidate.name, role: candidate.role, precision: candidate.precision, status: .ok)
        do {
            try candidate.prepare(problem, x: x, reference: reference)
            r.config = candidate.chosenConfig
            r.resources = candidate.resources
            if recordSweeps, !candidate.sweepLog.isEmpty { r.sweep = candidate.sweepLog }
            let y = try candidate.output()
            guard y.count == reference.count else {
                r.status = .wrong
                r.detail = "output has \(y.count) elements, expected \(reference.count)"
                return r
            }
            let error = ReferenceSpMM.relativeError(y, reference: reference)
            r.relativeError = error.isNaN ? nil : error
            guard error <= candidate.precision.tolerance else {
                r.status = .wrong
                r.detail = error.isNaN ? "output holds NaN (an element was not written)" : "relative error \(error) > \(candidate.precision.tolerance)"
                return r
            }
            let times = try candidate.time(warmup: warmup, iterations: iterations)
            let median = Statistics.median(times)
            r.runs = times.count
            r.medianSeconds = median
            r.minSeconds = times.min()
            r.gflops = problem.flops / median / 1e9
            r.fractionOfFloor = floor / median
        } catch let skip as CandidateSkipped {
            r.status = .skipped
            r.detail = skip.reason
        } catch {
            r.status = .error
            r.detail = "\(error)"
        }
        return r
    }

    /// A per-problem seed, stable across runs: FNV-1a of the name and M.
    static func seed(for problem: SpMMBenchProblem) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(problem.name)/\(problem.m)".utf8 {
            h ^= UInt64(byte)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }
}
