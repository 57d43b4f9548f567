import Foundation

/// Finds the DLMC data for the benchmark suites.
package enum DataLocation {
    /// `explicit` (`--data`), else `$SPARROW_DATA`, else the first of `../shared/data`,
    /// `shared/data`, `.device/data`, `.device` that holds DLMC files; nil when `needed` is false.
    /// A folder that is named must exist: a name is that folder or an error, never the unpack
    /// cache (which only ever holds copies of archives found in the named folder).
    package static func resolve(_ explicit: String?, needed: Bool) throws -> DLMCData? {
        guard needed else { return nil }
        let env = ProcessInfo.processInfo.environment
        let cache = URL(fileURLWithPath: env["SPARROW_CACHE_DIR"] ?? (NSHomeDirectory() + "/.cache/sparrow")).appendingPathComponent("data")
        let named = explicit.map { ("--data \($0)", $0) } ?? env["SPARROW_DATA"].map { ("SPARROW_DATA=\($0)", $0) }
        if let (label, path) = named {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw SuiteError("\(label): no such folder (it should hold \(DLMCData.archives(model: "rn50").map(\.name).joined(separator: " or ")) or an unpacked dlmc/ folder)")
            }
            return DLMCData(directory: URL(fileURLWithPath: path), cacheDirectory: cache)
        }
        let fm = FileManager.default
        for candidate in ["../shared/data", "shared/data", ".device/data", ".device"] {
            let files = (try? fm.contentsOfDirectory(atPath: candidate)) ?? []
            if files.contains(where: { $0.hasPrefix("dlmc") }) {
                return DLMCData(directory: URL(fileURLWithPath: candidate), cacheDirectory: cache)
            }
        }
        throw SuiteError(
            "no DLMC data found in ../shared/data, shared/data or .device: download \(DLMCData.downloadURL) "
                + "into a folder and pass --data DIR (or set SPARROW_DATA=DIR)")
    }
}
