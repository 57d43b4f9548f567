import ArgumentParser

extension SparrowCommand {
    /// Commands that read and write files: info, prune, convert.
    static let fileCommands: [any ParsableCommand.Type] = [InfoCommand.self, PruneCommand.self, ConvertCommand.self]
}
