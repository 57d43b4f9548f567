import ArgumentParser
import Foundation

/// The CLI's one error funnel: every failure becomes one line on stderr and exit status 1.
///
/// Library errors already name the file and the defect; this adds nothing but the
/// program name, and never prints a stack trace.
enum CommandFailure {
    static func report(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        let text = String(describing: error).replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("sparrow: \(text)\n".utf8))
        return ExitCode(1)
    }
}

/// A command whose body reports failures through ``CommandFailure``.
protocol ReportingCommand: ParsableCommand {
    func execute() throws
}

extension ReportingCommand {
    func run() throws {
        do { try execute() } catch { throw CommandFailure.report(error) }
    }
}

/// Writes progress and notes to stderr so stdout stays clean for tables and JSON.
enum Console {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
