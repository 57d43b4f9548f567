import Foundation
import Tuner

extension StoredTrial {
    /// The row of `trial` (of the config with id `configID` in `family`) on `problem` (with
    /// `details`) in `context`.
    package init<Config>(
        _ trial: Trial<Config>, configID: String, family: String, problem: ProblemKey,
        details: ProblemDetails = ProblemDetails(), context: TuningContext, recordedAt: Date = Date()
    ) {
        let (realSeconds, detail, relativeError): (Double?, String?, Double?) =
            switch trial.status {
            case .ok(let seconds): (seconds, nil, nil)
            case .compileError(let message), .launchError(let message), .invalid(let message), .skipped(let message):
                (nil, message, nil)
            case .wrongResult(let error, let message): (nil, message, error)
            }
        self.init(
            problem: problem, context: context, details: details, family: family, config: configID, phase: trial.phase,
            proxySeconds: trial.proxySeconds, realSeconds: realSeconds, sampleSeconds: trial.sampleSeconds,
            compileSeconds: trial.compileSeconds, status: trial.status.kind, statusDetail: detail,
            relativeError: relativeError, origin: trial.origin, recordedAt: Self.timestamp(recordedAt))
    }

    /// The status this row stores.
    package func trialStatus() throws(TuningStoreError) -> TrialStatus {
        let detail = statusDetail ?? ""
        switch status {
        case .ok:
            guard let realSeconds else { throw .malformedRow("\(config): ok without a time") }
            return .ok(seconds: realSeconds)
        case .compileError: return .compileError(detail)
        case .wrongResult: return .wrongResult(relativeError: relativeError, detail: detail)
        case .launchError: return .launchError(detail)
        case .invalid: return .invalid(detail)
        case .skipped: return .skipped(detail)
        }
    }

    /// The trial this row stores, of `config` (the parsed ``config`` id).
    package func trial<Config>(_ config: Config) throws(TuningStoreError) -> Trial<Config> {
        Trial(
            config: config, status: try trialStatus(), sampleSeconds: sampleSeconds, compileSeconds: compileSeconds,
            proxySeconds: proxySeconds, phase: phase, origin: origin)
    }
}
