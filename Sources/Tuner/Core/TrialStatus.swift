/// How one measurement of a candidate ended. A bad candidate is a status, never a thrown error,
/// so one broken kernel costs one trial and not the search.
package enum TrialStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Compiled, verified against the reference, and timed: `seconds` per run (the measurer's
    /// chosen statistic, e.g. the median).
    case ok(seconds: Double)
    /// The generated source did not compile.
    case compileError(String)
    /// It ran but disagreed with the reference; `relativeError` when one was computed.
    case wrongResult(relativeError: Double?, detail: String)
    /// The launch failed or the kernel faulted.
    case launchError(String)
    /// The measurer found the candidate unusable before running it (not legal for the problem
    /// on this device, a binding it cannot make).
    case invalid(String)
    /// The measurer chose not to run it (a feature it lacks, a known-bad candidate).
    case skipped(String)

    /// The status without its values: a stable name for storage and counts.
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case ok
        case compileError = "compile_error"
        case wrongResult = "wrong_result"
        case launchError = "launch_error"
        case invalid
        case skipped
    }

    /// The kind of this status.
    package var kind: Kind {
        switch self {
        case .ok: .ok
        case .compileError: .compileError
        case .wrongResult: .wrongResult
        case .launchError: .launchError
        case .invalid: .invalid
        case .skipped: .skipped
        }
    }

    /// Seconds per run when the candidate was correct and timed.
    package var seconds: Double? {
        if case .ok(let seconds) = self { seconds } else { nil }
    }

    /// Whether the candidate ran and was verified correct.
    package var isCorrect: Bool { seconds != nil }

    package var description: String {
        switch self {
        case .ok(let seconds): "ok \(seconds) s"
        case .compileError(let message): "compile error: \(message)"
        case .wrongResult(let error?, let detail): "wrong result (relative error \(error)): \(detail)"
        case .wrongResult(nil, let detail): "wrong result: \(detail)"
        case .launchError(let message): "launch error: \(message)"
        case .invalid(let message): "invalid: \(message)"
        case .skipped(let message): "skipped: \(message)"
        }
    }
}
