/// A config the search was asked to measure but the generator cannot build for the problem.
public struct Rejection<Config> {
    /// The config.
    public var config: Config
    /// Who asked for it (the strategy's plan, or the user's extras).
    public var origin: TrialOrigin
    /// The legality error, naming the rule it breaks.
    public var error: any Error

    /// `"r4.t8: <error>"`.
    public var message: String { "\(config): \(error)" }
}

extension Rejection: Sendable where Config: Sendable {}
