/// Why a search found no config to use.
package enum SearchError<Config: Sendable>: Error, CustomStringConvertible {
    /// Nothing survived pruning and nothing else was named.
    case noCandidates(PruneReport)
    /// Every candidate tried failed (shortlist and fallback); `failures` are the first few.
    case noCorrectCandidate(tried: Int, failures: [Trial<Config>])
    /// The trial sink could not record a trial.
    case sinkFailed(any Error)
    /// `trial` (recorded) left the measurer unable to measure more (``Measurer/unusableReason``).
    case measurerUnusable(Trial<Config>, reason: String)

    package var description: String {
        switch self {
        case .noCandidates(let report):
            "no candidate to measure (\(report))"
        case .noCorrectCandidate(let tried, let failures):
            "none of \(tried) candidates was correct; first failures: "
                + failures.map { "\($0.config): \($0.status)" }.joined(separator: "; ")
        case .sinkFailed(let error):
            "the trial sink failed: \(error)"
        case let .measurerUnusable(trial, reason):
            "\(trial.config) faulted (\(reason)); measuring stopped"
        }
    }
}
