import SparseFormats

/// Seconds since some fixed origin, read by the search for its budget and its timing split;
/// injectable so tests control time.
package struct SearchClock: Sendable {
    private let read: @Sendable () -> Double

    /// A clock that reads `now` (seconds, non-decreasing).
    package init(now: @escaping @Sendable () -> Double) {
        self.read = now
    }

    /// The current reading in seconds.
    package func now() -> Double { read() }

    /// The monotonic system clock, from the moment this clock is made.
    package static var continuous: SearchClock {
        let origin = ContinuousClock.now
        return SearchClock { origin.duration(to: ContinuousClock.now).seconds }
    }
}
