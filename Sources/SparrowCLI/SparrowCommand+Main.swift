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
