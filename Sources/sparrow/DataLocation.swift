import ArgumentParser
import Foundation
import Sparrow

/// Finds the DLMC data for the benchmark suites.
enum DataLocation {
    /// `--data`, else `$SPARROW_DATA`, else the first of `../shared/data`, `shared/data`,
    /// `.device/data`, `.device` that holds DLMC files.
    static func resolve(_ explicit: String?, needed: Bool) throws -> DLMCData? {
        guard needed else { return nil }
        let env = ProcessInfo.processInfo.environment
        let cache = URL(fileURLWithPath: env["SPARROW_CACHE_DIR"] ?? (NSHomeDirectory() + "/.cache/sparrow")).appendingPathComponent("data")
        if let path = explicit ?? env["SPARROW_DATA"] {
            return DLMCData(directory: URL(fileURLWithPath: path), cacheDirectory: cache)
        }
        let fm = FileManager.default
        for candidate in ["../shared/data", "shared/data", ".device/data", ".device"] {
            let files = (try? fm.contentsOfDirectory(atPath: candidate)) ?? []
            if files.contains(where: { $0.hasPrefix("dlmc") }) {
                return DLMCData(directory: URL(fileURLWithPath: candidate), cacheDirectory: cache)
            }
        }
        throw ValidationError("no DLMC data found: pass --data DIR (the folder holding dlmc-rn50-magnitude.tar.xz), or set SPARROW_DATA")
    }

    static func readSMTX(_ url: URL) throws -> CSRMatrix<Float> {
        try SMTX.read(url.path, as: Float.self)
    }
}
