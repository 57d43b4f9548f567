import Runtime

/// Which problems of a run an earlier run already finished (`--resume`), which are left to
/// measure, and how the two merge into one report in the suite's order.
struct ResumePlan {
    /// The problems to measure, in suite order.
    var todo: [SpMMBenchProblem]
    /// Earlier results of this run's problems, by key.
    var done: [ProblemKey: ProblemResult]
    /// Every problem's key, in suite order.
    var order: [ProblemKey]
    /// Earlier results that are not problems of this run (another selection, device or dtype).
    var unmatched: Int

    init(problems: [SpMMBenchProblem], earlier: [PartialRecord], device: String, dtype: String) {
        var byKey: [ProblemKey: ProblemResult] = [:]
        for record in earlier { byKey[record.key] = record.problem }
        let keys = problems.map { ProblemKey(suite: $0.suite, name: $0.name, n: $0.m, dtype: dtype, device: device) }
        let wanted = Set(keys)
        order = keys
        done = byKey.filter { wanted.contains($0.key) }
        todo = zip(problems, keys).filter { byKey[$0.1] == nil }.map(\.0)
        unmatched = byKey.count - done.count
    }

    /// One line: how many problems are taken from `path` and how many are left.
    func summary(from path: String) -> String {
        var line = "--resume \(path): \(done.count) of \(order.count) problems already finished, \(todo.count) to measure"
        if unmatched > 0 { line += "; \(unmatched) earlier results are of other problems, devices or dtypes and stay out of this report" }
        return line
    }

    /// The report's problems in suite order: earlier results where there are, else `measured`
    /// (which holds ``todo``'s results in order).
    func merged(_ measured: [ProblemResult]) -> [ProblemResult] {
        var fresh = measured.makeIterator()
        return order.compactMap { done[$0] ?? fresh.next() }
    }
}

extension SelectedDevice {
    /// The device as resumed results are matched on: `cpu`, or the GPU's name (its clock,
    /// memory and measured ceilings may differ between runs; its kind may not).
    package var resumeKey: String {
        switch self {
        case .cpu: return "cpu"
        case let .gpu(device): return device.properties.name
        }
    }

    /// The same key from a report's `device` line (reports written before `deviceKey` existed):
    /// `cpu: ...` or `<GPU name> (sm_90, ...)`.
    package static func resumeKey(fromSummary summary: String) -> String {
        if summary.hasPrefix("cpu") { return "cpu" }
        return summary.components(separatedBy: " (sm_").first ?? summary
    }
}
