extension BenchJob {
    /// The problems to run: your own files when ``files`` is not empty, else the suite's.
    /// `--data` names the DLMC data, so it is refused where nothing reads it rather than ignored.
    func inputs(note: (String) -> Void) throws -> [SpMMBenchProblem] {
        let problems: [SpMMBenchProblem]
        let label: String
        try checkPattern()
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

    /// `--pattern` prunes the pruned-random suites only, and an N:M pattern fixes the sparsity.
    func checkPattern() throws {
        let pattern = selection.pattern
        if case .unstructured = pattern { return }
        guard files.isEmpty, suite == .llm || suite == .bertBase else {
            throw BenchSetupError("--pattern \(pattern) prunes the llm and bert-base suites' seeded weights; \(files.isEmpty ? "the \(suite.rawValue) suite's matrices are given" : "files given on the command line are taken as they are")")
        }
        if case let .nOfM(n, m) = pattern, let sparsities = selection.sparsities {
            let implied = 1 - Double(n) / Double(m)
            guard sparsities.allSatisfy({ abs($0 - implied) < 1e-9 }) else {
                throw BenchSetupError("--pattern \(pattern) prunes to sparsity \(implied); leave out --sparsity (given: \(sparsities.map { "\($0)" }.joined(separator: " ")))")
            }
        }
    }
}
