import ArgumentParser
import Runtime

extension DeviceRequest: ExpressibleByArgument {}

extension DeviceRequest {
    /// Resolves `--device`, printing the fallback note on stderr.
    func resolveForCLI() throws -> SelectedDevice {
        try resolve(note: { Console.note("sparrow: \($0)") })
    }
}
