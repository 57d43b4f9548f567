import Foundation
import Runtime
import Synchronization

/// The append-only file a benchmark keeps its finished problems in, one JSON line each, so an
/// interrupted or crashed run loses only the problem it was on.
///
/// Appends and ``withFinished(_:)`` hold one lock, so a signal handler that reads the count never
/// sees half a line written.
package final class PartialResultsFile: Sendable {
    package let path: String
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var handle: FileHandle
        var finished: Int
    }

    /// Starts the file with `records` (an earlier run's, when resuming) and opens it for appending.
    /// The start is written atomically, so resuming from this same file never loses it.
    package init(path: String, startingWith records: [PartialRecord]) throws {
        self.path = path
        let encoder = BenchJSON.encoder(pretty: false)
        var text = Data()
        for record in records {
            text.append(try encoder.encode(record))
            text.append(0x0A)
        }
        let url = URL(fileURLWithPath: path)
        try text.write(to: url, options: .atomic)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        state = Mutex(State(handle: handle, finished: records.count))
    }

    deinit {
        state.withLock { try? $0.handle.close() }
    }

    /// Appends one finished problem and forces it to disk.
    package func append(_ record: PartialRecord) throws {
        var line = try BenchJSON.encoder(pretty: false).encode(record)
        line.append(0x0A)
        try state.withLock { state in
            try state.handle.write(contentsOf: line)
            try state.handle.synchronize()
            state.finished += 1
        }
    }

    /// Runs `body` with the number of problems in the file, no append in progress.
    package func withFinished<T>(_ body: (Int) throws -> T) rethrows -> T {
        try state.withLock { try body($0.finished) }
    }

    /// The records of `path`: a partial results file (one JSON line per problem; a last line cut
    /// short by an interruption is left out and reported through `note`) or a whole `--json` report.
    package static func read(_ path: String, note: (String) -> Void) throws -> [PartialRecord] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw BenchSetupError("--resume \(path): cannot read it (\(error.localizedDescription))")
        }
        let decoder = BenchJSON.decoder
        if let report = try? decoder.decode(BenchReport.self, from: data) {
            let device = report.deviceKey ?? SelectedDevice.resumeKey(fromSummary: report.device)
            return report.problems.map { PartialRecord(device: device, problem: $0) }
        }
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: true)
        var records: [PartialRecord] = []
        for (index, line) in lines.enumerated() {
            do { records.append(try decoder.decode(PartialRecord.self, from: line)) } catch {
                // Only the last line can be cut short by an interrupted write; anything else is not ours.
                guard index == lines.count - 1, !records.isEmpty else {
                    throw BenchSetupError("--resume \(path): line \(index + 1) is neither a finished problem nor part of a bench report")
                }
                note("sparrow: --resume \(path): line \(index + 1) was cut short (an interrupted write) and is left out")
            }
        }
        return records
    }
}
