import Bench

/// `sparrow tune --json`'s report: ``TuneReport``'s keys, plus the summaries the text report
/// prints (`comparisonSummary` with `--compare`, `ruleAudit` with `--audit-rules`).
struct TuneReportJSON: Encodable {
    var report: TuneReport

    enum Keys: String, CodingKey {
        case comparisonSummary, ruleAudit
    }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(report.comparison, forKey: .comparisonSummary)
        if !report.ruleAudit.isEmpty { try container.encode(report.ruleAudit, forKey: .ruleAudit) }
    }
}
