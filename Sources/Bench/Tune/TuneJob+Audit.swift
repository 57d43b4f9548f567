import CUDA
import KernelGen
import Runtime
import Tuner
import TuningStore

extension TuneJob {
    /// `--audit-rules N`: per problem, this job's search over the survivors, then up to N of
    /// each pruning rule's removals measured (recorded in `store`, recalled on a rerun), each
    /// rule reported against the survivors' best (``RuleAudit``).
    func auditGPU(
        _ problems: [SpMMBenchProblem], sample: Int, device: GPUDevice, store: TuningStore, model: LearnedCostModel?,
        progress report: @escaping @Sendable (BenchProgress) -> Void
    ) throws -> TuneReport {
        let context = TuningContext.gpu(device)
        let progress = TuneProgress<SpMMConfig>(report: report)
        var report = TuneReport(
            database: store.path, device: context.deviceName, cpuReason: nil,
            strategy: gpuSearch(model: model).strategy.name + ", then up to \(sample) of each rule's removals",
            dtype: dtype.rawValue, budgetSeconds: budgetSeconds, problems: [])
        for (index, problem) in problems.enumerated() {
            progress.begin(index, of: problems.count, problem)
            let setup = try gpuSetup(problem, device: device, store: store, context: context)
            if index == 0 { setup.measurer.faultAtMeasurement = injectFaultAt }
            let matrixModel = model?.describing(setup.pattern)
            let audit: RuleAuditResult<SpMMConfig>
            do {
                audit = try gpuSearch(model: matrixModel).auditRules(
                    for: setup.problem, measurer: setup.measurer.observed(by: progress), sink: setup.sink, sample: sample)
            } catch {
                throw Self.searchFailure(error, problem, doing: "auditing the rules on")
            }
            var row = TunedProblem(problem, audit.search, defaultConfig: nil)
            row.handRankedBecause = matrixModel?.fallbackReason(for: setup.problem)
            row.ruleAudits = audit.rules
            progress.end("[\(index + 1)/\(problems.count)] \(row.progressLine)", index: index, of: problems.count)
            report.problems.append(row)
        }
        return report
    }
}
