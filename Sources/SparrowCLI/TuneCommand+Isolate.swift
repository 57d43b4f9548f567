import ArgumentParser
import Bench
import Foundation

extension TuneCommand {
    /// The most times `--isolate` starts the measuring process again after a fault.
    static let isolateRestarts = 16

    /// `--isolate`: runs this command without `--isolate` in a child process (the same
    /// executable, arguments and database; it takes the GPU lock and measures), and starts it
    /// again whenever it exits after a fault (``TuneFault/exitStatus``): the new process recalls
    /// the recorded trials, the faulted config as failed, and goes on. `--inject-fault` reaches
    /// the first child only. The last child's output is this command's.
    func runIsolated() throws {
        var arguments = Array(CommandLine.arguments.dropFirst()).filter { $0 != "--isolate" }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        for attempt in 0...Self.isolateRestarts {
            let child = Process()
            child.executableURL = executable
            child.arguments = arguments
            try child.run()
            child.waitUntilExit()
            let status = child.terminationStatus
            guard child.terminationReason == .exit, status == TuneFault.exitStatus else {
                if status != 0 || child.terminationReason != .exit { throw ExitCode(status == 0 ? 1 : status) }
                return
            }
            guard attempt < Self.isolateRestarts else { break }
            Console.note("sparrow: --isolate: the measuring process stopped after a fault; starting it again (restart \(attempt + 1) of at most \(Self.isolateRestarts)); recorded trials are recalled")
            arguments = Self.withoutFaultInjection(arguments)
        }
        throw ValidationError("--isolate: the measuring process faulted \(Self.isolateRestarts + 1) times; giving up (the trials so far are in the database)")
    }

    /// `arguments` without `--inject-fault N` (or `--inject-fault=N`).
    static func withoutFaultInjection(_ arguments: [String]) -> [String] {
        var kept: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if argument == "--inject-fault" {
                skipNext = true
                continue
            }
            if argument.hasPrefix("--inject-fault=") { continue }
            kept.append(argument)
        }
        return kept
    }
}
