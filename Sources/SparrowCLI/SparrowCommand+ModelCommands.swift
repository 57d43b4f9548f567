import ArgumentParser

extension SparrowCommand {
    /// Commands that run whole models: embed.
    static let modelCommands: [any ParsableCommand.Type] = [EmbedCommand.self]
}
