import Foundation

/// How busy the machine was at one moment: the 1-minute load average (`/proc/loadavg`) and the
/// number of cores, recorded at the start and end of a benchmark so its times can be judged.
package struct MachineLoad: Codable, Sendable, Equatable {
    /// The 1-minute load average: runnable (and uninterruptible) threads, averaged.
    package var oneMinute: Double
    package var cores: Int

    package init(oneMinute: Double, cores: Int) {
        self.oneMinute = oneMinute
        self.cores = cores
    }

    /// The load now, or nil where `/proc/loadavg` cannot be read (not Linux).
    package static func now() -> MachineLoad? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
              let first = text.split(separator: " ").first, let value = Double(first) else { return nil }
        return MachineLoad(oneMinute: value, cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The rule, in words, for reports: busy means a load above half the cores; at the end the
    /// benchmark's own thread is allowed for (it keeps about one core busy itself).
    package static let rule = "busy means a 1-minute load average above 0.5 x cores at the start, or above 0.5 x cores + 1 at the end, where the benchmark keeps about one core busy itself"

    /// Whether this load counts as busy; `ownThreads` is the load the benchmark itself adds.
    package func isBusy(ownThreads: Double = 0) -> Bool {
        oneMinute > 0.5 * Double(cores) + ownThreads
    }
}
