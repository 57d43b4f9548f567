import ArgumentParser
import Bench

/// `sparrow`: run pruned neural networks fast.
@main
struct SparrowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparrow",
        abstract: "Sparse matrices from pruned networks: inspect, prune, convert, check and benchmark SpMM kernels.",
        version: SparrowVersion.string,
        subcommands: fileCommands + modelCommands + deviceCommands)
}

enum SparrowVersion {
    /// The release, and the commit when the build was stamped with one (static GPU builds).
    static let string = BuildInfo.stampedCommit.map { "0.1.0 (\($0))" } ?? "0.1.0"
}
