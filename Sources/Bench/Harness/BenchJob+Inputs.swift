extension BenchJob {
    /// The problems to run: your own files when ``files`` is not empty, else the suite's.
    /// `--data` names the DLMC data, so it is refused where nothing reads it rather than ignored.
    func inputs(note: (String) -> Void) throws -> [SpMMBenchProblem] {
        let problems: [SpMMBenchProblem]
        let label: String
        if !files.isEmpty {
            if let data { throw BenchSetupError("--data \(data) names the DLMC data; files given on the command line do not use it") }
            problems = try FileProblems(
                paths: files, minSparsity: minSparsity, widths: selection.widths, filter: selection.filter,
                limit: selection.limit
            ).problems(note: note)
            label = "\(FileProblems.suiteName) (\(files.joined(separator: " ")))"
        } else {
            let dlmc = suite.readsDLMC
            if let data, !dlmc { throw BenchSetupError("--data \(data) names the DLMC data; the \(suite.rawValue) suite does not read it") }
            if minSparsity != nil { throw BenchSetupError("--min-sparsity chooses tensors of FILE arguments; the suites have fixed sparsities (--sparsity)") }
            let suiteData = try DataLocation.resolve(data, needed: dlmc)
            problems = try BenchSuite(name: suite, selection: selection, data: suiteData).problems(note: note)
            label = suite.rawValue
        }
        guard !problems.isEmpty else { throw BenchSetupError("the selection holds no problems") }
        note("\(problems.count) \(problems.count == 1 ? "problem" : "problems") from \(label)")
        return problems
    }
}
