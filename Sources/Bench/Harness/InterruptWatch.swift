import Dispatch
import Foundation

/// Hands SIGINT and SIGTERM to a handler on a dispatch queue instead of ending the process at
/// once, so a benchmark can say what it kept before it exits. ``stop()`` restores the defaults.
package final class InterruptWatch {
    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32]

    /// Starts watching `signals`; `handler` gets the signal's number and must end the process.
    package init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        sources = signals.map { number in
            // The default action would end the process before the source's handler ran.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops watching; the signals end the process again.
    package func stop() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
