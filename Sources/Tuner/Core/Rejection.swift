/// A config the search was asked to measure but the generator cannot build for the problem.
package struct Rejection<Config> {
    /// The config.
    package var config: Config
    /// Who asked for it (the strategy's plan, or the user's extras).
    package var origin: TrialOrigin
    /// The legality error, naming the rule it breaks.
    package var error: any Error

    /// `"r4.t8: <error>"`.
    package var message: String { "\(config): \(error)" }
}

extension Rejection: Sendable where Config: Sendable {}
