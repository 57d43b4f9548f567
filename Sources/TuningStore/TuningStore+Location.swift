import Foundation

extension TuningStore {
    /// `$XDG_CACHE_HOME/sparrow/tuning.sqlite`, or `~/.cache/sparrow/tuning.sqlite` when
    /// `XDG_CACHE_HOME` is unset, empty or relative (the XDG spec says to ignore a relative one).
    package static func defaultPath(environment: [String: String]) throws(TuningStoreError) -> String {
        let folder: String
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            folder = cache
        } else if let home = environment["HOME"], !home.isEmpty {
            folder = (home as NSString).appendingPathComponent(".cache")
        } else {
            throw .noCacheDirectory
        }
        return ((folder as NSString).appendingPathComponent("sparrow") as NSString).appendingPathComponent("tuning.sqlite")
    }

    /// Creates the folder that will hold `path`, if missing.
    static func createParentDirectory(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
}
