import ArgumentParser

extension TuneCommand {
    func validate() throws {
        let actions = [list, export != nil, importFile != nil, !files.isEmpty, suite != nil, features != nil]
            .filter { $0 }.count
        guard actions == 1 else {
            throw ValidationError("give FILE arguments, --suite, --list, --export FILE, --import FILE or --features FILE (exactly one)")
        }
        guard from == nil || features != nil else { throw ValidationError("--from goes with --features") }
        guard !(compare && exhaustive) else {
            throw ValidationError("--compare compares the bounded search (top 8, --top-k or --budget) with --exhaustive: give one")
        }
        guard modelFile == nil || costModel == .learned else { throw ValidationError("--model-file goes with --cost-model learned") }
        let suiteOptions = !sparsity.isEmpty || data != nil || !size.isEmpty || !distribution.isEmpty || limit != nil
        guard suite != nil || !suiteOptions else {
            throw ValidationError("--sparsity, --data, --size, --distribution and --limit go with --suite")
        }
        guard sample.map({ $0 >= 1 }) ?? true else { throw ValidationError("--sample must be at least 1") }
        guard budget.map({ $0 > 0 }) ?? true else { throw ValidationError("--budget must be positive seconds") }
        guard dtype != .f64 else { throw ValidationError("--dtype: f32, f16 or bf16") }
        guard !(exhaustive && topK != nil) else { throw ValidationError("give --exhaustive or --top-k, not both") }
        guard topK.map({ $0 >= 1 }) ?? true else { throw ValidationError("--top-k must be at least 1") }
        guard n.allSatisfy({ $0 > 0 }) else { throw ValidationError("-n values must be positive integers") }
        guard !replace || importFile != nil else { throw ValidationError("--replace goes with --import") }
        guard lockTimeout.map({ $0 >= 0 }) ?? true else { throw ValidationError("--lock-timeout must be zero or more seconds") }
        guard auditRules.map({ $0 >= 1 }) ?? true else { throw ValidationError("--audit-rules must be at least 1") }
        guard !(compare && auditRules != nil) else { throw ValidationError("give --compare or --audit-rules, not both") }
        guard injectFault.map({ $0 >= 1 }) ?? true else { throw ValidationError("--inject-fault must be at least 1") }
        guard !proxy || proxyKeep >= 1 else { throw ValidationError("--proxy-keep must be at least 1") }
        guard iterations >= 1 else { throw ValidationError("--iterations must be at least 1") }
    }
}
