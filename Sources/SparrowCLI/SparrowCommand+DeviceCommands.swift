import ArgumentParser

extension SparrowCommand {
    /// Commands that use a device: doctor, selftest, bench, tune.
    static let deviceCommands: [any ParsableCommand.Type] = [DoctorCommand.self, SelftestCommand.self, BenchCommand.self, TuneCommand.self]
}
