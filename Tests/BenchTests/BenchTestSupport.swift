import Foundation

/// The package root, found from this file's path (Tests/BenchTests/BenchTestSupport.swift).
let benchPackageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The DLMC ResNet-50 tarball beside the package, when `../shared` is there.
let dlmcArchive = benchPackageRoot.appendingPathComponent("../shared/data/dlmc-rn50-magnitude.tar.xz").standardizedFileURL

/// A fresh, empty folder for one test; callers remove it.
func benchScratch(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("sparrow-bench-\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
