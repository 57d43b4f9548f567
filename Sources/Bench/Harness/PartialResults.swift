import Foundation
import Runtime
import Synchronization

/// A problem's identity across runs, for `--resume`: suite, problem name, n, dtype and device.
package struct ProblemKey: Hashable, Codable, Sendable, CustomStringConvertible {
    package var suite: String
    package var name: String
    package var n: Int
    package var dtype: String
    /// `cpu`, or the GPU's name.
    package var device: String

    package init(suite: String, name: String, n: Int, dtype: String, device: String) {
        self.suite = suite
        self.name = name
        self.n = n
        self.dtype = dtype
        self.device = device
    }

    package var description: String { "\(suite) \(name) n=\(n) \(dtype) on \(device)" }
}

/// One line of a partial results file: a finished problem and the device it ran on.
package struct PartialRecord: Codable, Sendable {
    /// `cpu`, or the GPU's name (see ``ProblemKey/device``).
    package var device: String
    package var problem: ProblemResult

    package init(device: String, problem: ProblemResult) {
        self.device = device
        self.problem = problem
    }

    package var key: ProblemKey {
        ProblemKey(suite: problem.suite, name: problem.name, n: problem.m, dtype: problem.dtype, device: device)
    }
}

/// How bench reports and partial files are encoded: sorted keys, non-finite numbers as strings
/// (as every command's JSON), so both read back with ``decoder``.
package enum BenchJSON {
    package static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    package static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

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
