import ArgumentParser

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
    static let string = "0.1.0"
}
