import Foundation

/// Where the DLMC matrices are: a folder holding an unpacked `dlmc/` tree or one of the
/// archives of ``DLMCData/archives(model:)``, which are unpacked once into a cache.
package struct DLMCData: Sendable {
    /// The folder named by `--data`, `$SPARROW_DATA` or found beside the package.
    package var directory: URL
    /// Where archives are unpacked, one folder per model and archive, each with a completion
    /// marker (``DLMCData/markerName``).
    package var cacheDirectory: URL

    package init(directory: URL, cacheDirectory: URL) {
        self.directory = directory
        self.cacheDirectory = cacheDirectory
    }

    /// Where the public collection comes from (google-research/sgk), for messages.
    package static let downloadURL = "https://storage.googleapis.com/sgk-sc2020/dlmc.tar.gz"

    static func folderName(_ sparsity: Double) -> String {
        // DLMC folders are named 0.5, 0.7, 0.8, 0.9, 0.95, 0.98.
        var s = String(format: "%.2f", sparsity)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// The folder that holds `<model>/magnitude_pruning`: an unpacked tree in ``directory``
    /// (`dlmc/` or the folder itself), else an archive of ``directory`` unpacked into the cache
    /// (once; an unpack without its completion marker is removed and redone). Never the cache
    /// alone: data in it counts only as the unpacked copy of an archive that is in ``directory``.
    package func unpacked(model: String, note: (String) -> Void = { _ in }) throws -> URL {
        if let root = Self.root(in: directory, model: model) { return root }
        let fm = FileManager.default
        for archive in Self.archives(model: model) {
            let path = directory.appendingPathComponent(archive.name)
            if fm.fileExists(atPath: path.path) { return try unpack(archive, at: path, model: model, note: note) }
        }
        let names = Self.archives(model: model).map(\.name).joined(separator: " or ")
        throw SuiteError(
            "\(directory.path): no DLMC \(model) matrices here (neither dlmc/\(model)/magnitude_pruning nor \(names)); "
                + "download \(Self.downloadURL) into this folder")
    }

    /// `folder/dlmc` or `folder` when it holds `<model>/magnitude_pruning`.
    static func root(in folder: URL, model: String) -> URL? {
        [folder.appendingPathComponent("dlmc"), folder].first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("\(model)/magnitude_pruning").path)
        }
    }

    /// Each rn50 layer's output spatial size (the n of one image), from `rn50_batchsizes.txt`.
    func rn50SpatialSizes(root: URL) throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        let file = root.appendingPathComponent("rn50_batchsizes.txt")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return sizes }
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ",")
            if parts.count == 2, let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) {
                sizes[String(parts[0])] = n
            }
        }
        return sizes
    }
}
