import Runtime
import Foundation
import SparseFormats
import SparseIO

/// Finds the DLMC data for the benchmark suites.
package enum DataLocation {
    /// `explicit` (`--data`), else `$SPARROW_DATA`, else the first of `../shared/data`,
    /// `shared/data`, `.device/data`, `.device` that holds DLMC files; nil when `needed` is false.
    package static func resolve(_ explicit: String?, needed: Bool) throws -> DLMCData? {
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
        throw SuiteError("no DLMC data found: pass --data DIR (the folder holding dlmc-rn50-magnitude.tar.xz), or set SPARROW_DATA")
    }

}
