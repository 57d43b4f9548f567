import ArgumentParser
import Foundation

extension SparrowCommand {
    /// ArgumentParser's `main`, except that every failure is one line on stderr with exit status 1:
    /// a usage error reads `sparrow: <message> (see sparrow <command> --help)` instead of the
    /// error, the usage and a help line. Help and version requests print as before.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            var message = message(for: error).split(separator: "\n").first.map(String.init) ?? String(describing: error)
            if message.hasSuffix(".") { message.removeLast() }  // the help hint ends the sentence
            if let negative = negativeValue(after: message, in: arguments) { message = negative }
            FileHandle.standardError.write(Data("sparrow: \(message) (see \(helpCommand(arguments)) --help)\n".utf8))
            exit(withError: ExitCode(1))
        }
        do {
            try command.run()
        } catch {
            // A bare `sparrow` asks for help by throwing; everything else is a failure to report.
            exit(withError: exitCode(for: error) == .success ? error : CommandFailure.report(error))
        }
    }

    /// A list option (`--sparsity 0.7 0.9`) reads `-0.1` as the next option and reports a missing
    /// value; say what was given instead: `--sparsity: the negative value -0.1 is out of range`.
    static func negativeValue(after message: String, in arguments: [String]) -> String? {
        guard message.hasPrefix("Missing value for '"), let option = message.dropFirst("Missing value for '".count)
            .split(separator: " ").first.map(String.init),
            let index = arguments.firstIndex(of: option), index + 1 < arguments.count,
            let value = Double(arguments[index + 1]), value < 0
        else { return nil }
        return "\(option): the negative value \(arguments[index + 1]) is out of range"
    }

    /// `sparrow` followed by the subcommands named at the start of `arguments` (`sparrow bench spmm`).
    static func helpCommand(_ arguments: [String]) -> String {
        var names = ["sparrow"]
        var current: any ParsableCommand.Type = SparrowCommand.self
        for argument in arguments {
            guard let next = current.configuration.subcommands.first(where: { $0.configuration.commandName == argument }) else { break }
            names.append(argument)
            current = next
        }
        return names.joined(separator: " ")
    }
}
