/// Whether a trial timed a cheap stand-in or the real kernel.
package enum TrialPhase: String, Sendable, Hashable, Codable {
    /// A proxy (a sample of rows, fewer timed runs, a one-launch estimate).
    case proxy
    /// The real kernel on the whole problem.
    case full
}

/// Why the search measured a candidate.
package enum TrialOrigin: String, Sendable, Hashable, Codable {
    /// The strategy's shortlist.
    case shortlist
    /// Named by the user beside the strategy.
    case extra
    /// Measured because nothing on the shortlist was correct.
    case fallback
}

/// One measurement of one candidate on one problem: what a ``Measurer`` returns and a
/// ``TrialSink`` stores.
package struct Trial<Config> {
    /// The candidate measured.
    package var config: Config
    /// How it ended (with the time when it was correct).
    package var status: TrialStatus
    /// The individual timed runs in seconds, when the measurer keeps them.
    package var sampleSeconds: [Double]
    /// Time spent compiling this candidate, when it was compiled for this trial.
    package var compileSeconds: Double?
    /// A proxy's time for this candidate, when one was measured.
    package var proxySeconds: Double?
    /// Whether ``status`` times a proxy or the real kernel.
    package var phase: TrialPhase
    /// Why the search measured it (set by ``Search``; `nil` outside a search).
    package var origin: TrialOrigin?

    /// A trial of `config` that ended with `status`.
    package init(
        config: Config, status: TrialStatus, sampleSeconds: [Double] = [], compileSeconds: Double? = nil,
        proxySeconds: Double? = nil, phase: TrialPhase = .full, origin: TrialOrigin? = nil
    ) {
        self.config = config
        self.status = status
        self.sampleSeconds = sampleSeconds
        self.compileSeconds = compileSeconds
        self.proxySeconds = proxySeconds
        self.phase = phase
        self.origin = origin
    }

    /// Seconds per run when the candidate was correct.
    package var seconds: Double? { status.seconds }

    /// Whether the candidate ran and was verified correct.
    package var isCorrect: Bool { status.isCorrect }
}

// Conformances sit in this file because Swift synthesises Equatable and Codable only in the
// type's own file.
extension Trial: Sendable where Config: Sendable {}
extension Trial: Equatable where Config: Equatable {}
extension Trial: Hashable where Config: Hashable {}
extension Trial: Codable where Config: Codable {}
